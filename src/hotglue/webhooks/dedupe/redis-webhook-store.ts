import type { HotglueRedisClient } from '../../redis/redis-client.js';
import { withTimeout } from '../../redis/redis-client.js';
import {
  type HotglueClaimResult,
  type HotglueWebhookStore,
  HotglueWebhookStoreUnavailableError,
} from './webhook-store.js';

/** Default key prefix of the Redis store. */
const DEFAULT_REDIS_WEBHOOK_PREFIX = 'hotglue:webhook:';
/** Default time a Redis command may take before the delivery is refused with 503. */
const DEFAULT_REDIS_TIMEOUT_MS = 2_000;

const DONE = 'done';

// SET NX PX takes the delivery; otherwise it is done, held, or its lease ran out between the two calls.
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'claimed' end
local v = redis.call('GET', KEYS[1])
if v == '${DONE}' then return 'done' end
if v == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 'claimed' end
return 'busy'`;
// Only the owner (or nobody, after the lease expired) marks it done: a re-claimer will mark it itself.
const COMPLETE = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] or v == false or v == '${DONE}' then redis.call('SET', KEYS[1], '${DONE}', 'PX', ARGV[2]) end
return 1`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;
// Extends the lease only while the caller still owns it (GET == owner, then PEXPIRE, in one script).
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;

/** Options of `RedisWebhookStore`. */
export interface RedisWebhookStoreOptions {
  /**
   * A connected client the host creates and closes (e.g. `new Redis(process.env.REDIS_URL, {
   * enableOfflineQueue: false })`). Without the offline queue a command fails at once while Redis is down,
   * and the delivery is refused with 503 instead of waiting.
   */
  readonly client: HotglueRedisClient;
  /** Prefix of every key. Default `hotglue:webhook:`; give each environment its own when they share a Redis. */
  readonly keyPrefix?: string;
  /** How long one command may take before the delivery is refused with 503. Default 2,000 ms. */
  readonly timeoutMs?: number;
}

/**
 * Dedupe shared by every instance: `SET key owner NX PX lease` claims a delivery, `GET == owner` then
 * `PEXPIRE` renews it, `done` marks it, each in one atomic script. Renew and release act only for the
 * owner; complete never overwrites another owner's claim (it marks a key that is the caller's or free: the
 * handlers did run). Expiry is Redis's own (`PX`), so the store needs no sweeping.
 */
export class RedisWebhookStore implements HotglueWebhookStore {
  private readonly client: HotglueRedisClient;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(options: RedisWebhookStoreOptions) {
    this.client = options.client;
    this.prefix = options.keyPrefix ?? DEFAULT_REDIS_WEBHOOK_PREFIX;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
  }

  async claim(key: string, owner: string, leaseMs: number): Promise<HotglueClaimResult> {
    return (await this.run(
      'claim',
      CLAIM,
      key,
      owner,
      Math.max(1, Math.round(leaseMs)),
    )) as HotglueClaimResult;
  }

  async complete(key: string, owner: string, ttlMs: number): Promise<void> {
    await this.run('complete', COMPLETE, key, owner, Math.max(1, Math.round(ttlMs)));
  }

  async release(key: string, owner: string): Promise<void> {
    await this.run('release', RELEASE, key, owner);
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    return (await this.run('renew', RENEW, key, owner, Math.max(1, Math.round(leaseMs)))) === 1;
  }

  private run(
    operation: string,
    script: string,
    key: string,
    ...args: Array<string | number>
  ): Promise<unknown> {
    return withTimeout(
      this.client.eval(script, 1, `${this.prefix}${key}`, ...args),
      this.timeoutMs,
      (cause) => new HotglueWebhookStoreUnavailableError(operation, { cause }),
    );
  }
}
