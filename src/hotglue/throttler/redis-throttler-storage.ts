import { ServiceUnavailableException } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { HotglueRedisClient } from '../redis/redis-client.js';
import { withTimeout } from '../redis/redis-client.js';
import type { ThrottlerStorageRecord } from './memory-throttler-storage.js';

// One atomic script per hit. A blocked key stays blocked until its block key expires; otherwise the hit
// counter of the fixed window is incremented (created with the window's TTL), and passing the limit
// starts a block of `blockDuration`.
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or '0'), math.max(redis.call('PTTL', KEYS[1]), 0), 1, blocked}
end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}`;

/** Options of `HotglueRedisThrottlerStorage`. */
export interface HotglueRedisThrottlerStorageOptions {
  /** A connected client the host creates and closes (ioredis, `enableOfflineQueue: false` recommended). */
  readonly client: HotglueRedisClient;
  /** Prefix of every key. Default `hotglue:throttle:`. */
  readonly keyPrefix?: string;
  /** How long one hit may wait for Redis before the request is refused with 503. Default 2,000 ms. */
  readonly timeoutMs?: number;
}

/**
 * A `ThrottlerStorage` over Redis, so several instances share one budget per user and route
 * (`ThrottlerModule.forRoot({ throttlers, storage: new HotglueRedisThrottlerStorage({ client }) })`).
 * Written here because `@nest-lab/throttler-storage-redis` declares peers up to Nest 11 only. Counts in
 * fixed windows of `ttl` (the in-memory storage slides); one `EVAL` per request. When Redis does not
 * answer, the request is refused with 503 rather than let through unlimited.
 */
export class HotglueRedisThrottlerStorage implements ThrottlerStorage {
  private readonly client: HotglueRedisClient;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(options: HotglueRedisThrottlerStorageOptions) {
    this.client = options.client;
    this.prefix = options.keyPrefix ?? 'hotglue:throttle:';
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // A hash tag keeps both keys of one tracker in the same Redis Cluster slot (EVAL needs that).
    const base = `${this.prefix}{${throttlerName}:${key}}`;
    const block = blockDuration > 0 ? blockDuration : ttl;
    const reply = (await withTimeout(
      this.client.eval(INCREMENT, 2, `${base}:hits`, `${base}:block`, ttl, limit, block),
      this.timeoutMs,
      () => new ServiceUnavailableException('The rate limiter is unavailable; try again later.'),
    )) as [number, number, number, number];
    const [totalHits, expireMs, blocked, blockMs] = reply;
    return {
      totalHits,
      timeToExpire: Math.ceil(expireMs / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(blockMs / 1000),
    };
  }
}
