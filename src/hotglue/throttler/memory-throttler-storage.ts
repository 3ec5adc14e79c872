import type { ThrottlerStorage } from '@nestjs/throttler';

/** `@nestjs/throttler`'s record (its interface type is not exported from the package root in every version). */
export interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/** One tracker on one route and throttler: a sliding log of hit expiries, oldest first. */
interface HitRecord {
  /** Expiry times (epoch ms), ascending; the live ones start at `head`. */
  hits: number[];
  head: number;
  /** End of the fixed window reported as `timeToExpire`. */
  expiresAt: number;
  isBlocked: boolean;
  blockExpiresAt: number;
}

/** A sweep of idle records starts at most this often (the default storage's interval). */
const SWEEP_INTERVAL_MS = 60_000;
/**
 * Records a sweep looks at per hit, at most. A whole sweep in one request took 443-495 ms at 1M records;
 * a thousand (well under a millisecond) per hit keeps any request's share bounded, and still outpaces the
 * one record a hit can add a thousandfold, so a sweep always ends.
 */
const DEFAULT_SWEEP_BATCH = 1_000;

/** Test and tuning knobs of `HotglueMemoryThrottlerStorage`. */
export interface HotglueMemoryThrottlerStorageOptions {
  /** Records a sweep looks at per hit, at most (default 1,000). */
  readonly sweepBatch?: number;
  /** Called for every record a sweep looks at (tests count them). */
  readonly onSweepVisit?: () => void;
}
/** Expired hits are dropped from the front of a log once this many have gathered and they are half of it. */
const COMPACT_AFTER = 64;

/**
 * `@nestjs/throttler`'s in-memory storage, answering the same records for the same calls (a property spec
 * runs both side by side on one clock), without its per-hit costs: the default storage copies a record's
 * whole hit list on every request and looks the record up a dozen times; this one keeps each log sorted and
 * drops expired hits from its front. Records are kept per key and throttler name (the default storage
 * shares one block flag between the throttlers of a key; every key the guards generate names its throttler
 * anyway). Idle records are swept once a minute, incrementally: the first hit after the minute starts a
 * sweep, and each hit looks at no more than `sweepBatch` records until it is done. No timer to stop, no
 * request's async context captured by one, and no request pays for the whole store.
 *
 * For one instance only: several instances need a shared storage (`HotglueRedisThrottlerStorage`).
 *
 * ```ts
 * ThrottlerModule.forRoot({ throttlers, storage: new HotglueMemoryThrottlerStorage() })
 * ```
 */
export class HotglueMemoryThrottlerStorage implements ThrottlerStorage {
  /** Throttler name -> key -> record. */
  private readonly records = new Map<string, Map<string, HitRecord>>();
  private nextSweepAt: number;
  /** The sweep under way: where it is in the throttler names, and in the current name's keys. */
  private sweepNames: Iterator<[string, Map<string, HitRecord>]> | undefined;
  private sweepKeys:
    | { name: string; byKey: Map<string, HitRecord>; keys: Iterator<[string, HitRecord]> }
    | undefined;
  private readonly sweepBatch: number;
  private readonly onSweepVisit: (() => void) | undefined;

  /**
   * @param now The clock (epoch ms); a test may pass its own.
   * @param options How much of a sweep one hit does (see `HotglueMemoryThrottlerStorageOptions`).
   */
  constructor(
    private readonly now: () => number = Date.now,
    options: HotglueMemoryThrottlerStorageOptions = {},
  ) {
    this.nextSweepAt = now() + SWEEP_INTERVAL_MS;
    this.sweepBatch = Math.max(1, Math.floor(options.sweepBatch ?? DEFAULT_SWEEP_BATCH));
    this.onSweepVisit = options.onSweepVisit;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    return this.hit(key, ttl, limit, blockDuration, throttlerName);
  }

  /** `increment()` without the promise. */
  hit(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ThrottlerStorageRecord {
    const now = this.now();
    if (this.sweepNames === undefined && now >= this.nextSweepAt) {
      this.nextSweepAt = now + SWEEP_INTERVAL_MS;
      this.sweepNames = this.records.entries();
    }
    if (this.sweepNames !== undefined) this.sweepSome(now, this.sweepBatch);
    const record = this.recordOf(throttlerName, key, now, ttl);
    let totalHits = liveHits(record, now);
    let timeToExpire = Math.ceil((record.expiresAt - now) / 1000);
    if (timeToExpire <= 0) {
      record.expiresAt = now + ttl;
      timeToExpire = Math.ceil(ttl / 1000);
    }
    if (blockDuration <= 0) {
      // No block: a hit over the limit is refused and not counted; the caller may retry once the oldest
      // live hit expires.
      const isBlocked = totalHits >= limit;
      if (!isBlocked) totalHits = addHit(record, now + ttl);
      const oldest = record.hits[record.head];
      return {
        totalHits: totalHits + (isBlocked ? 1 : 0),
        timeToExpire,
        isBlocked,
        timeToBlockExpire: !isBlocked
          ? 0
          : oldest === undefined
            ? timeToExpire
            : Math.ceil((oldest - now) / 1000),
      };
    }
    if (!record.isBlocked) totalHits = addHit(record, now + ttl);
    if (totalHits > limit && !record.isBlocked) {
      record.isBlocked = true;
      record.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((record.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && record.isBlocked) {
      // The block is over: the log starts again with this hit.
      record.isBlocked = false;
      record.hits = [];
      record.head = 0;
      totalHits = addHit(record, now + ttl);
    }
    return { totalHits, timeToExpire, isBlocked: record.isBlocked, timeToBlockExpire };
  }

  /** Records kept (for tests and metrics). */
  get size(): number {
    let size = 0;
    for (const byKey of this.records.values()) size += byKey.size;
    return size;
  }

  /** Forgets records with no live hit, no running block and an ended window: all of them, now. */
  sweep(now = this.now()): void {
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    this.sweepNames = this.records.entries();
    this.sweepKeys = undefined;
    this.sweepSome(now, Number.POSITIVE_INFINITY);
  }

  /**
   * Goes on with the sweep under way for at most `budget` records; ends it when every record was seen.
   * Map iterators are live: a record added meanwhile is seen too, a deleted one is skipped, none twice.
   */
  private sweepSome(now: number, budget: number): void {
    let visited = 0;
    while (visited < budget) {
      if (this.sweepKeys === undefined) {
        const next = this.sweepNames?.next();
        if (!next || next.done) {
          this.sweepNames = undefined;
          return;
        }
        const [name, byKey] = next.value;
        this.sweepKeys = { name, byKey, keys: byKey.entries() };
      }
      const { name, byKey, keys } = this.sweepKeys;
      const entry = keys.next();
      if (entry.done) {
        if (byKey.size === 0 && this.records.get(name) === byKey) this.records.delete(name);
        this.sweepKeys = undefined;
        continue;
      }
      visited++;
      this.onSweepVisit?.();
      const [key, record] = entry.value;
      if (record.isBlocked && record.blockExpiresAt > now) continue;
      if (record.expiresAt > now || liveHits(record, now) > 0) continue;
      byKey.delete(key);
    }
  }

  private recordOf(throttlerName: string, key: string, now: number, ttl: number): HitRecord {
    let byKey = this.records.get(throttlerName);
    if (!byKey) {
      byKey = new Map();
      this.records.set(throttlerName, byKey);
    }
    let record = byKey.get(key);
    if (!record) {
      record = { hits: [], head: 0, expiresAt: now + ttl, isBlocked: false, blockExpiresAt: 0 };
      byKey.set(key, record);
    }
    return record;
  }
}

/** Drops expired hits from the front of the log and returns how many are live. */
function liveHits(record: HitRecord, now: number): number {
  const { hits } = record;
  let head = record.head;
  while (head < hits.length && hits[head]! <= now) head++;
  if (head >= COMPACT_AFTER && head * 2 >= hits.length) {
    hits.splice(0, head);
    head = 0;
  }
  record.head = head;
  return hits.length - head;
}

/** Adds a hit to the log, kept sorted (a clock step back or a shorter TTL can add one out of order). */
function addHit(record: HitRecord, expiresAt: number): number {
  const { hits } = record;
  let at = hits.length;
  while (at > record.head && hits[at - 1]! > expiresAt) at--;
  if (at === hits.length) hits.push(expiresAt);
  else hits.splice(at, 0, expiresAt);
  return hits.length - record.head;
}
