import type { HotglueClaimResult, HotglueWebhookStore } from './webhook-store.js';

/** Default cap of remembered deliveries of the in-memory store. */
const DEFAULT_MEMORY_STORE_MAX_ENTRIES = 100_000;

const DONE = '\u0000done';

interface Entry {
  value: string;
  expiresAt: number;
}

/** Options of the in-memory store. */
export interface MemoryWebhookStoreOptions {
  /**
   * Most deliveries remembered; beyond it the oldest is forgotten first (a repeat of a forgotten delivery
   * would be processed again). Default 100,000 (a few tens of MB at most).
   */
  readonly maxEntries?: number;
  /**
   * The clock leases and expiries are measured on, in milliseconds. Default `performance.now`: monotonic, so
   * a wall-clock step (NTP, a VM resume) neither expires a live lease (which would let a duplicate run the
   * handlers beside the first run) nor keeps a dead one.
   */
  readonly now?: () => number;
}

/**
 * The default store: one process, bounded, entries expire. Right for a single instance; several instances
 * need a shared store (`RedisWebhookStore`), or each would process a delivery once per instance it hits.
 */
export class MemoryWebhookStore implements HotglueWebhookStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryWebhookStoreOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MEMORY_STORE_MAX_ENTRIES);
    this.now = options.now ?? (() => performance.now());
  }

  /** Entries held (expired ones included until they are touched or evicted). */
  get size(): number {
    return this.entries.size;
  }

  async claim(key: string, owner: string, leaseMs: number): Promise<HotglueClaimResult> {
    const entry = this.live(key);
    if (entry) return entry.value === DONE ? 'done' : 'busy';
    this.set(key, owner, leaseMs);
    return 'claimed';
  }

  async complete(key: string, owner: string, ttlMs: number): Promise<void> {
    const entry = this.live(key);
    // Someone else re-claimed after our lease ran out: they will mark it.
    if (entry && entry.value !== owner && entry.value !== DONE) return;
    this.set(key, DONE, ttlMs);
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.entries.get(key)?.value === owner) this.entries.delete(key);
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    // Only a live claim of this owner is extended; an expired one stays lost (someone may hold it now).
    if (this.live(key)?.value !== owner) return false;
    this.set(key, owner, leaseMs);
    return true;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private set(key: string, value: string, ttlMs: number): void {
    // Re-inserting keeps the Map in write order, so the first key is always the oldest write.
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }
}
