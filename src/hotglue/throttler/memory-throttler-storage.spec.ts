import { ThrottlerStorageService } from '@nestjs/throttler';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HotglueMemoryThrottlerStorage, type ThrottlerStorageRecord } from './memory-throttler-storage.js';

/** One `increment` call and the time that passes before it. */
const call = fc.record({
  advanceMs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 4_000 }),
    fc.integer({ min: 0, max: 90_000 }),
  ),
  tracker: fc.constantFrom('alice', 'bob'),
  name: fc.constantFrom('default', 'burst'),
  ttl: fc.constantFrom(1_000, 5_000, 60_000),
  limit: fc.integer({ min: 1, max: 5 }),
  blockDuration: fc.constantFrom(0, 1_000, 3_000, 60_000),
});

/** What a guard reads: `timeToBlockExpire` only matters, and is only defined alike, while blocked. */
const asSeenByGuard = (record: ThrottlerStorageRecord) => ({
  ...record,
  timeToBlockExpire: record.isBlocked ? record.timeToBlockExpire : 0,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('HotglueMemoryThrottlerStorage', () => {
  it("answers every call as @nestjs/throttler's in-memory storage does, on the same clock", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        async (calls, sameTtl) => {
          vi.setSystemTime(1_800_000_000_000);
          const reference = new ThrottlerStorageService();
          const ours = new HotglueMemoryThrottlerStorage();
          // Both forget idle records: the reference on its timer, ours on the first hit a minute after its
          // last sweep. Sweep the reference at those same moments, so both forget the same records.
          const sweepReference = (now: number) =>
            (reference as unknown as { evictIdleRecords(now: number): void }).evictIdleRecords(now);
          let nextSweep = Date.now() + 60_000;
          try {
            for (const c of calls) {
              vi.setSystemTime(Date.now() + c.advanceMs);
              if (Date.now() >= nextSweep) {
                sweepReference(Date.now());
                nextSweep = Date.now() + 60_000;
              }
              // The guards' keys name the throttler; the default storage keeps one block flag per key.
              const key = `route:${c.name}:${c.tracker}`;
              const ttl = sameTtl ? 5_000 : c.ttl;
              const expected = await reference.increment(key, ttl, c.limit, c.blockDuration, c.name);
              const actual = await ours.increment(key, ttl, c.limit, c.blockDuration, c.name);
              expect(asSeenByGuard(actual)).toEqual(asSeenByGuard(expected));
            }
          } finally {
            reference.onApplicationShutdown();
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('blocks past the limit for blockDuration, then starts a new log', () => {
    let now = 0;
    const storage = new HotglueMemoryThrottlerStorage(() => now);
    const hit = () => storage.hit('k', 10_000, 2, 3_000, 'default');
    expect(hit()).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(hit()).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(hit()).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 3 });
    now = 2_500;
    expect(hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    now = 3_000;
    expect(hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps a log sorted when the clock steps back, so no expired hit is counted', () => {
    let now = 100_000;
    const storage = new HotglueMemoryThrottlerStorage(() => now);
    storage.hit('k', 10_000, 5, 0, 'default');
    now = 95_000; // e.g. an NTP correction
    storage.hit('k', 10_000, 5, 0, 'default');
    now = 105_001; // the second hit (expiring at 105,000) is over, the first (110,000) is not
    expect(storage.hit('k', 10_000, 5, 0, 'default').totalHits).toBe(2);
  });

  it('keeps memory bounded: a long log drops its expired front, and idle records are swept', () => {
    let now = 0;
    const storage = new HotglueMemoryThrottlerStorage(() => now);
    for (let i = 0; i < 10_000; i++) {
      now += 10;
      expect(storage.hit('busy', 1_000, 1_000_000, 0, 'default').totalHits).toBeLessThanOrEqual(101);
    }
    const log = (storage as unknown as { records: Map<string, Map<string, { hits: number[] }>> }).records
      .get('default')!
      .get('busy')!.hits;
    expect(log.length).toBeLessThan(300);
    for (let i = 0; i < 1_000; i++) storage.hit(`user-${i}`, 1_000, 10, 0, 'default');
    expect(storage.size).toBe(1_001);
    now += 61_000;
    // A sweep looks at 1,000 records per hit: two hits see all 1,001.
    storage.hit('late', 1_000, 10, 0, 'default');
    storage.hit('late', 1_000, 10, 0, 'default');
    expect(storage.size).toBe(1);
  });

  it('sweeps incrementally: with 200k idle records one hit looks at a bounded number, and all go eventually', () => {
    let now = 0;
    let visits = 0;
    const storage = new HotglueMemoryThrottlerStorage(() => now, { onSweepVisit: () => visits++ });
    const IDLE = 200_000;
    for (let i = 0; i < IDLE; i++) storage.hit(`user-${i}`, 1_000, 10, 0, i % 2 ? 'default' : 'burst');
    // A record that stays live throughout (blocked for an hour): a sweep must keep it.
    for (let i = 0; i < 3; i++) storage.hit('abuser', 60_000, 1, 3_600_000, 'default');
    expect(visits).toBe(0);
    expect(storage.size).toBe(IDLE + 1);

    now += 61_000; // every user record is idle now; the next hit starts a sweep
    const perHit: number[] = [];
    const hit = () => {
      const before = visits;
      storage.hit('steady', 1_000, 10, 0, 'default');
      perHit.push(visits - before);
    };
    hit();
    expect(storage.size).toBeGreaterThan(IDLE - 1_000); // one hit swept a batch; the rest waits
    expect(perHit[0]).toBeGreaterThan(0);
    expect(perHit[0]).toBeLessThanOrEqual(1_000);

    let calls = 1;
    while (storage.size > 2 && calls < 1_000) {
      hit();
      calls++;
    }
    expect(Math.max(...perHit)).toBeLessThanOrEqual(1_000);
    expect(calls).toBeGreaterThanOrEqual(IDLE / 1_000);
    // Every idle record is gone; the blocked one and the one being hit stay, and the sweep is over.
    expect(storage.size).toBe(2);
    expect(storage.hit('abuser', 60_000, 1, 3_600_000, 'default')).toMatchObject({ isBlocked: true });
    const settled = visits;
    for (let i = 0; i < 10; i++) storage.hit('steady', 1_000, 10, 0, 'default');
    expect(visits).toBe(settled); // no sweep until the next minute
  });
});
