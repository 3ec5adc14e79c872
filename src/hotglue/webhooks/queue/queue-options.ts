import { z } from 'zod';
import type { HotglueConfigIssue } from '../../hotglue.errors.js';

/** Default key prefix of the queue: a Redis Cluster hash tag, so every key of the queue shares one slot. */
export const DEFAULT_WEBHOOK_QUEUE_PREFIX = '{hotglue-webhooks}';
/** Default queue name (below the prefix). */
export const DEFAULT_WEBHOOK_QUEUE_NAME = 'deliveries';
/** Default tries per delivery, the first included (BullMQ's `attempts`). */
export const DEFAULT_WEBHOOK_QUEUE_ATTEMPTS = 8;
/** Default first retry delay; each next one doubles (BullMQ's exponential back-off). */
export const DEFAULT_WEBHOOK_QUEUE_BACKOFF_MS = 1_000;
/** Default handlers run at once per instance. */
export const DEFAULT_WEBHOOK_QUEUE_CONCURRENCY = 8;
/** Default bound of one add: past it the route answers 503 with `Retry-After`. */
export const DEFAULT_WEBHOOK_QUEUE_ADD_TIMEOUT_MS = 2_000;
/** Default wait for running handlers at shutdown before the worker is closed by force. */
export const DEFAULT_WEBHOOK_QUEUE_DRAIN_TIMEOUT_MS = 25_000;
/** BullMQ's own default lock and stalled-check interval. */
export const DEFAULT_WEBHOOK_QUEUE_STALLED_INTERVAL_MS = 30_000;

/**
 * Where the queue lives: a `redis://` / `rediss://` URL, ioredis connection options (`{ host, port, ... }`,
 * or `ClusterOptions`-like objects are not accepted: pass a `Cluster` client), or an ioredis `Redis` /
 * `Cluster` client the host created. A client is shared, never closed by the library; the worker uses a
 * duplicate of it (blocking reads need their own connection).
 */
export type HotglueWebhookQueueConnection = string | object;

/**
 * Queue mode of `HotglueWebhooksModule` (docs/webhooks.md, "Queue mode"): the route verifies, parses and
 * applies the replay window, then adds the delivery to a BullMQ queue on Redis and answers 2xx only once
 * Redis acknowledged the add. Workers (in every instance unless `worker: false`) run the `@OnHotglueEvent`
 * handlers, retrying failures with exponential back-off. Needs the optional peers `bullmq` and `ioredis`.
 */
export interface HotglueWebhookQueueOptions {
  /** The queue's Redis: a URL, ioredis options, or an ioredis `Redis` / `Cluster` client (shared). */
  readonly connection: HotglueWebhookQueueConnection;
  /**
   * Whether this instance runs handlers. `false` for API-only pods: deliveries are queued and other
   * instances (started with the same options and `worker: true`) process them. Default true.
   */
  readonly worker?: boolean;
  /** Tries per delivery, the first included (BullMQ semantics). Default 8; 1 to 100. */
  readonly attempts?: number;
  /** Delay before the first retry, in ms; each next retry waits twice as long. Default 1,000; 0 to 1 h. */
  readonly backoffMs?: number;
  /** Redis key prefix. Default `{hotglue-webhooks}`: a hash tag, so it works on Redis Cluster as is. */
  readonly prefix?: string;
  /** Queue name below the prefix. Default `deliveries`. No `:`. */
  readonly name?: string;
  /** Handlers run at once in this instance. Default 8; 1 to 1,000. */
  readonly concurrency?: number;
  /** Bound of one add; past it the route answers 503 with `Retry-After`. Default 2,000 ms; 50 ms to 60 s. */
  readonly addTimeoutMs?: number;
  /**
   * At shutdown (Nest's shutdown hooks), how long running handlers may finish before the worker closes by
   * force (their jobs then run again elsewhere after the stalled interval). Default 25,000 ms; 0 to 10 min.
   */
  readonly drainTimeoutMs?: number;
  /**
   * Job lock duration and stalled-job check interval: a worker that died mid-handler has its job run again
   * by another worker after about this long. Default 30,000 ms (BullMQ's); 1,000 ms to 30,000 ms.
   */
  readonly stalledIntervalMs?: number;
}

/** Queue options with every default applied. */
export interface ResolvedWebhookQueueOptions {
  readonly connection: HotglueWebhookQueueConnection;
  readonly worker: boolean;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly prefix: string;
  readonly name: string;
  readonly concurrency: number;
  readonly addTimeoutMs: number;
  readonly drainTimeoutMs: number;
  readonly stalledIntervalMs: number;
  /** How long completed delivery ids are remembered (the webhook options' `dedupeTtlMs`). */
  readonly keepCompletedMs: number;
}

const whole = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}.` })
    .int({ error: `must be a whole number from ${min} to ${max}.` })
    .min(min, { error: `must be a whole number from ${min} to ${max}.` })
    .max(max, { error: `must be a whole number from ${min} to ${max}.` });

const QUEUE_SCHEMA = z.strictObject({
  connection: z.unknown().optional(),
  worker: z.boolean({ error: 'must be true or false.' }).optional(),
  attempts: whole(1, 100).optional(),
  backoffMs: whole(0, 3_600_000).optional(),
  prefix: z
    .string({ error: 'must be a string.' })
    .min(1, { error: 'must not be empty.' })
    .max(100, { error: 'must be at most 100 characters.' })
    .optional(),
  name: z
    .string({ error: 'must be a string.' })
    .regex(/^[A-Za-z0-9_.{}-]{1,100}$/, { error: 'must be 1-100 letters, digits, "_", ".", "-", "{", "}".' })
    .optional(),
  concurrency: whole(1, 1_000).optional(),
  addTimeoutMs: whole(50, 60_000).optional(),
  drainTimeoutMs: whole(0, 600_000).optional(),
  stalledIntervalMs: whole(1_000, 30_000).optional(),
});

/** Whether `value` looks like an ioredis client (`Redis` or `Cluster`) rather than options. */
export function isRedisClient(value: unknown): value is { duplicate: (...args: unknown[]) => unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { duplicate?: unknown }).duplicate === 'function' &&
    typeof (value as { status?: unknown }).status === 'string'
  );
}

function checkConnection(issues: HotglueConfigIssue[], connection: unknown): void {
  const path = 'webhooks.queue.connection (HOTGLUE_WEBHOOK_QUEUE_REDIS_URL)';
  if (typeof connection === 'string') {
    let url: URL | undefined;
    try {
      url = new URL(connection);
    } catch {
      url = undefined;
    }
    // The URL may hold a password: the message names the setting and the expected form only.
    if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) {
      issues.push({ path, message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379.' });
    }
    return;
  }
  if (typeof connection !== 'object' || connection === null || Array.isArray(connection)) {
    issues.push({
      path,
      message:
        'is required: a redis:// URL, ioredis options ({ host, port, ... }) or an ioredis Redis/Cluster client.',
    });
    return;
  }
  if (!isRedisClient(connection) && 'keyPrefix' in connection) {
    issues.push({
      path: 'webhooks.queue.connection.keyPrefix',
      message: 'is not supported by BullMQ; use webhooks.queue.prefix.',
    });
  }
}

/** Validates `queue` with zod (unknown keys refused, named), pushing issues; the resolved options or undefined. */
export function resolveWebhookQueueOptions(
  issues: HotglueConfigIssue[],
  queue: unknown,
  keepCompletedMs: number,
): ResolvedWebhookQueueOptions | undefined {
  if (queue === undefined) return undefined;
  if (typeof queue !== 'object' || queue === null || Array.isArray(queue)) {
    issues.push({
      path: 'webhooks.queue',
      message: 'must be an object { connection, worker?, attempts?, ... }.',
    });
    return undefined;
  }
  const before = issues.length;
  checkConnection(issues, (queue as { connection?: unknown }).connection);
  const parsed = QUEUE_SCHEMA.safeParse(queue);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push({
            path: `webhooks.queue.${key}`,
            message:
              'is not a queue option (connection, worker, attempts, backoffMs, prefix, name, concurrency, ' +
              'addTimeoutMs, drainTimeoutMs, stalledIntervalMs).',
          });
        }
      } else {
        issues.push({ path: `webhooks.queue.${issue.path.join('.')}`, message: issue.message });
      }
    }
  }
  if (issues.length > before || !parsed.success) return undefined;
  const options = parsed.data;
  return {
    connection: (queue as HotglueWebhookQueueOptions).connection,
    worker: options.worker ?? true,
    attempts: options.attempts ?? DEFAULT_WEBHOOK_QUEUE_ATTEMPTS,
    backoffMs: options.backoffMs ?? DEFAULT_WEBHOOK_QUEUE_BACKOFF_MS,
    prefix: options.prefix ?? DEFAULT_WEBHOOK_QUEUE_PREFIX,
    name: options.name ?? DEFAULT_WEBHOOK_QUEUE_NAME,
    concurrency: options.concurrency ?? DEFAULT_WEBHOOK_QUEUE_CONCURRENCY,
    addTimeoutMs: options.addTimeoutMs ?? DEFAULT_WEBHOOK_QUEUE_ADD_TIMEOUT_MS,
    drainTimeoutMs: options.drainTimeoutMs ?? DEFAULT_WEBHOOK_QUEUE_DRAIN_TIMEOUT_MS,
    stalledIntervalMs: options.stalledIntervalMs ?? DEFAULT_WEBHOOK_QUEUE_STALLED_INTERVAL_MS,
    keepCompletedMs,
  };
}

/** ioredis options from a `redis://` / `rediss://` URL (user, password, db, TLS). */
export function redisOptionsFromUrl(text: string): Record<string, unknown> {
  const url = new URL(text);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db && /^\d+$/.test(db) ? { db: Number(db) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
