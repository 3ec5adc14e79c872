/**
 * The bytes of unauthenticated webhook bodies in flight, shared by every request of one webhook route.
 * A request reserves what it may buffer (its declared `Content-Length`, or the cap for a chunked body) when
 * reading starts and releases it when reading ends (complete, refused or aborted); one that does not fit
 * is refused with 503 before a byte of its body is read, so stalled bodies cannot pin unbounded memory.
 */
export class WebhookBodyBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes reserved right now. */
  get inFlight(): number {
    return this.used;
  }

  /** Reserves `bytes` when they fit; `false` (nothing reserved) when they do not. */
  tryReserve(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    if (bytes > 0) this.used = Math.max(0, this.used - bytes);
  }
}
