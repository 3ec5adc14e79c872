import type { HotglueConfigIssue } from '../../hotglue.errors.js';
import { closedObject, issueKeys, isUnknownKeyIssue, v, wholeInRange } from '../../internal/option-schema.js';

/** Default key prefix of the queue: a Redis Cluster hash tag, so every key of the queue shares one slot. */
const DEFAULT_WEBHOOK_QUEUE_PREFIX = '{hotglue-webhooks}';
/** Default queue name (below the prefix). */
const DEFAULT_WEBHOOK_QUEUE_NAME = 'deliveries';
/** Default tries per delivery, the first included (BullMQ's `attempts`). */
const DEFAULT_WEBHOOK_QUEUE_ATTEMPTS = 8;
/** Default first retry delay; each next one doubles (BullMQ's exponential back-off). */
const DEFAULT_WEBHOOK_QUEUE_BACKOFF_MS = 1_000;
/** Default handlers run at once per instance. */
const DEFAULT_WEBHOOK_QUEUE_CONCURRENCY = 8;
/** Default bound of one add: past it the route answers 503 with `Retry-After`. */
const DEFAULT_WEBHOOK_QUEUE_ADD_TIMEOUT_MS = 2_000;
/** Default wait for running handlers at shutdown before the worker is closed by force. */
const DEFAULT_WEBHOOK_QUEUE_DRAIN_TIMEOUT_MS = 25_000;
/** BullMQ's own default lock and stalled-check interval. */
const DEFAULT_WEBHOOK_QUEUE_STALLED_INTERVAL_MS = 30_000;

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
export interface ValidatedWebhookQueueOptions {
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

/** Whether `value` looks like an ioredis client (`Redis` or `Cluster`) rather than options. */
export function isRedisClient(value: unknown): value is { duplicate: (...args: unknown[]) => unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { duplicate?: unknown }).duplicate === 'function' &&
    typeof (value as { status?: unknown }).status === 'string'
  );
}

function isRedisUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
}

/** The setting a connection problem names: the option and the variable `hotglueWebhooksConfig` reads. */
const CONNECTION_PATH = 'webhooks.queue.connection (HOTGLUE_WEBHOOK_QUEUE_REDIS_URL)';

const connectionSchema = v.pipe(
  v.custom<HotglueWebhookQueueConnection>(
    (value) =>
      typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value)),
    'is required: a redis:// URL, ioredis options ({ host, port, ... }) or an ioredis Redis/Cluster client.',
  ),
  // The URL may hold a password: the message names the setting and the expected form only.
  v.check(
    (value) => typeof value !== 'string' || isRedisUrl(value),
    'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379.',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    const value = dataset.value;
    if (
      dataset.typed &&
      typeof value === 'object' &&
      value !== null &&
      !isRedisClient(value) &&
      'keyPrefix' in value
    ) {
      addIssue({
        message: 'is not supported by BullMQ; use webhooks.queue.prefix.',
        path: [{ type: 'object', origin: 'value', input: value, key: 'keyPrefix', value: undefined }],
      });
    }
  }),
);

/**
 * valibot schema of `HotglueWebhookQueueOptions` (the `queue` webhook option): unknown keys refused, each by
 * name; defaults applied.
 */
export const webhookQueueOptionsSchema = closedObject(
  {
    connection: connectionSchema,
    worker: v.optional(v.boolean('must be true or false.'), true),
    attempts: v.optional(wholeInRange(1, 100), DEFAULT_WEBHOOK_QUEUE_ATTEMPTS),
    backoffMs: v.optional(wholeInRange(0, 3_600_000), DEFAULT_WEBHOOK_QUEUE_BACKOFF_MS),
    prefix: v.optional(
      v.pipe(
        v.string('must be a string.'),
        v.minLength(1, 'must not be empty.'),
        v.maxLength(100, 'must be at most 100 characters.'),
      ),
      DEFAULT_WEBHOOK_QUEUE_PREFIX,
    ),
    name: v.optional(
      v.pipe(
        v.string('must be a string.'),
        v.regex(/^[A-Za-z0-9_.{}-]{1,100}$/, 'must be 1-100 letters, digits, "_", ".", "-", "{", "}".'),
      ),
      DEFAULT_WEBHOOK_QUEUE_NAME,
    ),
    concurrency: v.optional(wholeInRange(1, 1_000), DEFAULT_WEBHOOK_QUEUE_CONCURRENCY),
    addTimeoutMs: v.optional(wholeInRange(50, 60_000), DEFAULT_WEBHOOK_QUEUE_ADD_TIMEOUT_MS),
    drainTimeoutMs: v.optional(wholeInRange(0, 600_000), DEFAULT_WEBHOOK_QUEUE_DRAIN_TIMEOUT_MS),
    stalledIntervalMs: v.optional(wholeInRange(1_000, 30_000), DEFAULT_WEBHOOK_QUEUE_STALLED_INTERVAL_MS),
  },
  'must be an object { connection, worker?, attempts?, ... }.',
);

/**
 * The config issue of one issue of `webhookQueueOptionsSchema`, `keys` being its path inside `queue`:
 * `webhooks.queue.<key>`, connection problems under the variable that sets it.
 */
export function webhookQueueConfigIssue(
  keys: readonly string[],
  issue: v.BaseIssue<unknown>,
): HotglueConfigIssue {
  if (keys.length === 0) return { path: 'webhooks.queue', message: issue.message };
  if (isUnknownKeyIssue(issue)) {
    return {
      path: `webhooks.queue.${keys.join('.')}`,
      message:
        'is not a queue option (connection, worker, attempts, backoffMs, prefix, name, concurrency, ' +
        'addTimeoutMs, drainTimeoutMs, stalledIntervalMs).',
    };
  }
  const path =
    keys.length === 1 && keys[0] === 'connection' ? CONNECTION_PATH : `webhooks.queue.${keys.join('.')}`;
  return { path, message: issue.message };
}

/**
 * Validates `queue` alone (the CLI's check of a queue it did not start), pushing its issues; the options
 * with defaults applied, or undefined when absent or invalid.
 */
export function validateWebhookQueueOptions(
  issues: HotglueConfigIssue[],
  queue: unknown,
  keepCompletedMs: number,
): ValidatedWebhookQueueOptions | undefined {
  if (queue === undefined) return undefined;
  const parsed = v.safeParse(webhookQueueOptionsSchema, queue);
  if (!parsed.success) {
    for (const issue of parsed.issues) issues.push(webhookQueueConfigIssue(issueKeys(issue), issue));
    return undefined;
  }
  return { ...parsed.output, keepCompletedMs };
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
