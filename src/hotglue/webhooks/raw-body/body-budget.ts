/**
 * The bytes of unauthenticated webhook bodies in flight, shared by every request of one webhook route.
 * A request reserves each chunk of its body as it arrives and releases the whole when reading ends (complete,
 * refused or aborted); a chunk that does not fit is refused with 503, so stalled bodies cannot pin unbounded
 * memory, and connections that declare a large body but send nothing hold nothing.
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
