/**
 * Bytes of request bodies the emulator holds at once, across all requests. One body may be up to
 * `MAX_BODY_BYTES`; without a shared cap, many concurrent uploads would each be buffered in full.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Reserves `bytes`; false (and nothing reserved) when that would pass the limit. */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  /** Bytes held now (for specs and diagnostics). */
  get inFlight(): number {
    return this.used;
  }
}
