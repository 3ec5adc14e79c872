/**
 * The bytes of request bodies in flight, shared by every request it is handed to: the unauthenticated
 * bodies of one webhook route, and (in the testing kit) every request the emulator reads.
 * A request reserves each chunk of its body as it arrives and releases the whole when reading ends (complete,
 * refused or aborted); a chunk that does not fit is refused (503 on the webhook route), so stalled bodies
 * cannot pin unbounded memory, and connections that declare a large body but send nothing hold nothing.
 */
export class BodyBudget {
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
