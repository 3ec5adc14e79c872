import { HotglueConfigError, type HotglueConfigIssue } from '../hotglue.errors.js';
import {
  closedObject,
  finiteNumber,
  issueKeys,
  isUnknownKeyIssue,
  readonlyObject,
  v,
  wholeInRange,
} from '../internal/option-schema.js';
import { HOTGLUE_ENVIRONMENT_NAME_PATTERN } from '../options/environment-names.js';
import { MemoryWebhookStore } from './dedupe/memory-webhook-store.js';
import type { HotglueWebhookStore } from './dedupe/webhook-store.js';
import {
  type HotglueWebhookQueueOptions,
  type ValidatedWebhookQueueOptions,
  webhookQueueConfigIssue,
  webhookQueueOptionsSchema,
} from './queue/queue-options.js';

/** Default route of the receiver, relative to the global prefix. */
export const DEFAULT_HOTGLUE_WEBHOOK_PATH = 'hotglue/webhooks';
/** Default body cap: 1 MiB (hotglue's Job objects are a few kB; Express's own JSON default is 100 kB). */
const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;
/** Default replay window: events older than 24 h by their own timestamp are acknowledged, not processed. */
const DEFAULT_WEBHOOK_REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Default time a delivery stays claimed while its handlers run; a concurrent duplicate waits at most this. */
const DEFAULT_WEBHOOK_LEASE_MS = 30_000;
/** Default budget of unauthenticated body bytes in flight on one webhook route: 16 MiB. */
const DEFAULT_WEBHOOK_MAX_IN_FLIGHT_BODY_BYTES = 16 * 1024 * 1024;
/** Default time a webhook body has to arrive once its headers are in: 5 s (hotglue's are a few kB). */
const DEFAULT_WEBHOOK_BODY_TIMEOUT_MS = 5_000;

/**
 * hotglue's three webhook subscriptions (Settings → Jobs → Monitoring & Alerts). Each has its own URL and
 * its own optional secret in the dashboard: https://docs.hotglue.com/environment-settings/webhooks
 */
export type HotglueWebhookSubscription = 'job' | 'discover' | 'connection';

/** Every subscription, in the dashboard's order. */
export const HOTGLUE_WEBHOOK_SUBSCRIPTIONS: readonly HotglueWebhookSubscription[] = [
  'job',
  'discover',
  'connection',
];

/**
 * One secret per subscription, as hotglue's dashboard sets them (`HOTGLUE_WEBHOOK_SECRET_JOB`, `_DISCOVER`,
 * `_CONNECTION`). Each one given overrides `secret` for its subscription; a subscription with neither is
 * refused (401).
 */
export interface HotglueWebhookSecrets {
  /** Secret of the job lifecycle subscription: verifies job events (hotglue's Job object). */
  readonly job?: string;
  /** Secret of the discover subscription: verifies `DISCOVER_*` events. */
  readonly discover?: string;
  /** Secret of the connection subscription: verifies linked source / target / connector changes. */
  readonly connection?: string;
}

const SECRET_VAR_OF: Readonly<Record<HotglueWebhookSubscription, string>> = {
  job: 'HOTGLUE_WEBHOOK_SECRET_JOB',
  discover: 'HOTGLUE_WEBHOOK_SECRET_DISCOVER',
  connection: 'HOTGLUE_WEBHOOK_SECRET_CONNECTION',
};

/** Options of `HotglueWebhooksModule.forRoot` / the factory of `forRootAsync`. */
export interface HotglueWebhooksOptions {
  /**
   * The webhook secret set in hotglue's environment settings (`HOTGLUE_WEBHOOK_SECRET`). Blank or absent:
   * the route refuses every delivery with 401 and boot logs one warning (an unsigned receiver would accept
   * anyone's events).
   */
  readonly secret?: string;
  /**
   * One secret per subscription, for a dashboard that gives each webhook its own secret:
   * `{ job, discover, connection }`. Each one given overrides `secret` for its subscription, so
   * `{ secret: a, secrets: { connection: b } }` verifies job and discover events with `a` and connection
   * events with `b`. A delivery is accepted only when it verifies with the secret of the subscription its
   * body belongs to: a body signed with the job secret is refused (401) as a connection event. All deliveries
   * may go to the one route: the receiver tells them apart by signature and body (docs/webhooks.md).
   * A blank value counts as unset.
   */
  readonly secrets?: HotglueWebhookSecrets;
  /**
   * Largest body accepted, in bytes; larger is 413 and never processed. A declared `Content-Length` above it
   * is refused from the header, unread; a chunked body stops being read at the cap. Either way the
   * connection is closed. Default 1 MiB; 1 kB to 64 MiB.
   */
  readonly maxBodyBytes?: number;
  /**
   * Most bytes of not yet verified bodies this route buffers at once: each request reserves its body's bytes
   * as they arrive (never its declared `Content-Length`, so idle connections hold nothing); a chunk that does
   * not fit is answered 503 with `Retry-After`, and its connection closed. Default 16 MiB; from
   * `maxBodyBytes` to 1 GiB.
   */
  readonly maxInFlightBodyBytes?: number;
  /**
   * How long a body may take to arrive once the request's headers are in; past it the request is answered
   * 408 and its connection closed (a trickled body would otherwise hold its reservation for minutes, or
   * forever on Fastify, whose `requestTimeout` is 0). Default 5,000 ms; 100 ms to 10 min.
   */
  readonly bodyTimeoutMs?: number;
  /**
   * Events whose own timestamp (`last_updated`, `timestamp`, ...) is older than this are acknowledged (2xx)
   * and not processed: the signature covers no timestamp, so a captured delivery verifies forever.
   * Default 24 h. Events without a timestamp are judged by dedupe alone.
   */
  readonly replayWindowMs?: number;
  /**
   * How long a processed delivery is remembered. Default: the replay window plus one hour, so a replay is
   * either remembered or too old. Shorter than the replay window is a configuration error.
   */
  readonly dedupeTtlMs?: number;
  /**
   * How long a claim lasts without renewal. While handlers run the claim is renewed every `leaseMs / 3`,
   * so a slow handler keeps it; a concurrent duplicate waits at most this long, then is refused with 503;
   * a claim whose instance died expires after it and the next delivery is processed. Default 30 s.
   */
  readonly leaseMs?: number;
  /**
   * Where deliveries are marked done. Default: a `MemoryWebhookStore` (one instance). Several instances
   * behind a load balancer share a `RedisWebhookStore`. A custom store implements all of
   * `HotglueWebhookStore`, `renew` included, or the boot fails.
   */
  readonly store?: HotglueWebhookStore;
  /**
   * Binds this webhook route to a named hotglue environment (`HotglueModule.forRoot({ name })`), for an app
   * that receives the webhooks of several: start-up fails when that environment is not registered, handlers
   * see `delivery.environment`, and a connection event evicts cached credentials in that environment only.
   * Absent: the route belongs to no environment in particular (every environment's credentials are evicted).
   */
  readonly environment?: string;
  /**
   * Queue mode: deliveries are stored in a BullMQ queue on Redis before the 2xx, and workers run the
   * handlers with retries (docs/webhooks.md, "Queue mode"). Absent: handlers run inside the request (inline).
   */
  readonly queue?: HotglueWebhookQueueOptions;
  /** Epoch milliseconds; default `Date.now` (tests pass a fake). */
  readonly now?: () => number;
}

/** Options with every default applied. */
export interface ValidatedWebhookOptions {
  readonly secret: string | undefined;
  /** The secret of each subscription (`secrets.<name>`, else `secret`); undefined where none is set. */
  readonly secrets: Readonly<Record<HotglueWebhookSubscription, string | undefined>>;
  readonly maxBodyBytes: number;
  readonly maxInFlightBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly replayWindowMs: number;
  readonly dedupeTtlMs: number;
  readonly leaseMs: number;
  readonly store: HotglueWebhookStore;
  readonly now: () => number;
  readonly environment: string | undefined;
  /** Queue mode's settings; undefined in inline mode. */
  readonly queue: ValidatedWebhookQueueOptions | undefined;
}

const ONE_HOUR_MS = 3_600_000;
const ONE_GIB = 1024 * 1024 * 1024;
const STORE_METHODS = ['claim', 'complete', 'release', 'renew'] as const;

const optionalString = v.optional(v.string('must be a string.'));

/** A blank string counts as unset. */
const nonBlank = (value: string | undefined) =>
  value !== undefined && value.trim() !== '' ? value : undefined;

/** The in-flight budget's floor: one body of `maxBodyBytes` must fit. */
const inFlightFloor = (maxBodyBytes: unknown) =>
  Math.max(1024, Number.isInteger(maxBodyBytes) ? (maxBodyBytes as number) : 1024);

/**
 * valibot schema of `HotglueWebhooksOptions`: unknown keys refused, each by name; defaults applied. Its
 * messages name the field, never a value (a secret may sit in the wrong field).
 */
export const webhookOptionsSchema = v.pipe(
  closedObject(
    {
      secret: optionalString,
      secrets: v.optional(
        readonlyObject(
          closedObject(
            { job: optionalString, discover: optionalString, connection: optionalString },
            'must be an object { job?, discover?, connection? }.',
          ),
        ),
      ),
      maxBodyBytes: v.optional(wholeInRange(1024, 64 * 1024 * 1024), DEFAULT_WEBHOOK_MAX_BODY_BYTES),
      // Its range starts at maxBodyBytes: checked below, once both are known.
      maxInFlightBodyBytes: v.optional(
        finiteNumber(
          'must be a whole number from webhooks.maxBodyBytes to 1073741824 (1 GiB): a smaller budget could never admit one body.',
        ),
      ),
      bodyTimeoutMs: v.optional(wholeInRange(100, 10 * 60_000), DEFAULT_WEBHOOK_BODY_TIMEOUT_MS),
      replayWindowMs: v.optional(
        wholeInRange(1000, 365 * 24 * ONE_HOUR_MS),
        DEFAULT_WEBHOOK_REPLAY_WINDOW_MS,
      ),
      dedupeTtlMs: v.optional(wholeInRange(1000, 400 * 24 * ONE_HOUR_MS)),
      leaseMs: v.optional(wholeInRange(100, 15 * 60_000), DEFAULT_WEBHOOK_LEASE_MS),
      store: v.optional(
        v.custom<HotglueWebhookStore>(
          (store) =>
            typeof store === 'object' &&
            store !== null &&
            STORE_METHODS.every((method) => typeof (store as Record<string, unknown>)[method] === 'function'),
          'must implement HotglueWebhookStore (claim, complete, release, renew). renew(key, owner, leaseMs) keeps ' +
            'a claim alive while handlers run; without it a handler slower than leaseMs would run twice.',
        ),
      ),
      environment: v.optional(
        v.pipe(
          v.string(
            'must be the name of a registered environment, e.g. "eu" (letters, digits, "_", "-", ".").',
          ),
          v.regex(
            HOTGLUE_ENVIRONMENT_NAME_PATTERN,
            'must be the name of a registered environment, e.g. "eu" (letters, digits, "_", "-", ".").',
          ),
        ),
      ),
      queue: v.optional(readonlyObject(webhookQueueOptionsSchema)),
      now: v.optional(
        v.custom<() => number>(
          (now) => typeof now === 'function',
          'must be a function returning epoch milliseconds, like Date.now.',
        ),
      ),
    },
    'must be an object of webhook options.',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    // Reads the values as given (even one that failed its own check), as the budget's floor needs them.
    if (typeof dataset.value !== 'object' || dataset.value === null) return; // reported as not an object
    const options = dataset.value as { maxBodyBytes?: unknown; maxInFlightBodyBytes?: unknown };
    const budget = options.maxInFlightBodyBytes;
    const floor = inFlightFloor(options.maxBodyBytes);
    if (typeof budget === 'number' && !(Number.isInteger(budget) && budget >= floor && budget <= ONE_GIB)) {
      addIssue({
        message: `must be a whole number from webhooks.maxBodyBytes (${floor}) to 1073741824 (1 GiB): a smaller budget could never admit one body.`,
        path: [
          { type: 'object', origin: 'value', input: options, key: 'maxInFlightBodyBytes', value: budget },
        ],
      });
    }
  }),
  v.forward(
    v.partialCheck(
      [['dedupeTtlMs'], ['replayWindowMs']],
      (options: { dedupeTtlMs?: number; replayWindowMs: number }) =>
        options.dedupeTtlMs === undefined || options.dedupeTtlMs >= options.replayWindowMs,
      'must be at least webhooks.replayWindowMs, or a replay inside the window would be processed again.',
    ),
    ['dedupeTtlMs'],
  ),
  v.transform((options): ValidatedWebhookOptions => {
    const secret = nonBlank(options.secret);
    const dedupeTtlMs = options.dedupeTtlMs ?? options.replayWindowMs + ONE_HOUR_MS;
    return {
      secret,
      secrets: {
        job: nonBlank(options.secrets?.job) ?? secret,
        discover: nonBlank(options.secrets?.discover) ?? secret,
        connection: nonBlank(options.secrets?.connection) ?? secret,
      },
      maxBodyBytes: options.maxBodyBytes,
      maxInFlightBodyBytes:
        options.maxInFlightBodyBytes ??
        Math.max(DEFAULT_WEBHOOK_MAX_IN_FLIGHT_BODY_BYTES, options.maxBodyBytes),
      bodyTimeoutMs: options.bodyTimeoutMs,
      replayWindowMs: options.replayWindowMs,
      dedupeTtlMs,
      leaseMs: options.leaseMs,
      store: options.store ?? new MemoryWebhookStore(),
      now: options.now ?? Date.now,
      environment: options.environment,
      queue: options.queue && { ...options.queue, keepCompletedMs: dedupeTtlMs },
    };
  }),
);

/** Every key `HotglueWebhooksOptions` has, as the unknown-key message lists them. */
const WEBHOOK_OPTION_KEYS = Object.keys(webhookOptionsSchema.entries).join(', ');

/** The config issue of one schema issue: `webhooks.<path>`, secrets under the variable that sets them. */
function webhookConfigIssue(issue: v.BaseIssue<unknown>): HotglueConfigIssue {
  const keys = issueKeys(issue);
  const [first, second] = keys;
  if (first === undefined) return { path: 'webhooks', message: issue.message };
  if (first === 'queue') return webhookQueueConfigIssue(keys.slice(1), issue);
  if (keys.length === 1 && isUnknownKeyIssue(issue)) {
    return {
      path: `webhooks.${first}`,
      message: `is not a webhook option (${WEBHOOK_OPTION_KEYS}); remove it or fix its spelling.`,
    };
  }
  if (first === 'secret') return { path: 'webhooks.secret (HOTGLUE_WEBHOOK_SECRET)', message: issue.message };
  if (first === 'secrets' && second !== undefined) {
    // Key names are not secrets, but a key may be anything: name the allowed ones instead.
    if (isUnknownKeyIssue(issue)) {
      return { path: 'webhooks.secrets', message: 'allows only job, discover and connection.' };
    }
    const name = second as HotglueWebhookSubscription;
    return { path: `webhooks.secrets.${name} (${SECRET_VAR_OF[name]})`, message: issue.message };
  }
  return { path: `webhooks.${keys.join('.')}`, message: issue.message };
}

/**
 * Validates the options and applies the defaults; throws one `HotglueConfigError` listing every problem (at
 * boot: the options provider runs while the app is created). Never echoes a secret.
 */
export function validateWebhookOptions(options: HotglueWebhooksOptions): ValidatedWebhookOptions {
  const parsed = v.safeParse(webhookOptionsSchema, options);
  if (parsed.success) return parsed.output;
  const issues: HotglueConfigIssue[] = [];
  for (const issue of parsed.issues) {
    const configIssue = webhookConfigIssue(issue);
    // Several unknown keys under `secrets` make one issue.
    if (!issues.some((seen) => seen.path === configIssue.path && seen.message === configIssue.message)) {
      issues.push(configIssue);
    }
  }
  throw new HotglueConfigError(issues);
}
