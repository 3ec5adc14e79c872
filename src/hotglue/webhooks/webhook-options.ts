import { z } from 'zod';
import { HotglueConfigError, type HotglueConfigIssue } from '../hotglue.errors.js';
import { HOTGLUE_ENVIRONMENT_NAME_PATTERN } from '../options/environment-names.js';
import { MemoryWebhookStore } from './dedupe/memory-webhook-store.js';
import type { HotglueWebhookStore } from './dedupe/webhook-store.js';
import {
  type HotglueWebhookQueueOptions,
  type ResolvedWebhookQueueOptions,
  resolveWebhookQueueOptions,
} from './queue/queue-options.js';

/** Default route of the receiver, relative to the global prefix. */
export const DEFAULT_HOTGLUE_WEBHOOK_PATH = 'hotglue/webhooks';
/** Default body cap: 1 MiB (hotglue's Job objects are a few kB; Express's own JSON default is 100 kB). */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;
/** Default replay window: events older than 24 h by their own timestamp are acknowledged, not processed. */
export const DEFAULT_WEBHOOK_REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Default time a delivery stays claimed while its handlers run; a concurrent duplicate waits at most this. */
export const DEFAULT_WEBHOOK_LEASE_MS = 30_000;
/** Default budget of unauthenticated body bytes in flight on one webhook route: 16 MiB. */
export const DEFAULT_WEBHOOK_MAX_IN_FLIGHT_BODY_BYTES = 16 * 1024 * 1024;
/** Default time a webhook body has to arrive once its headers are in: 5 s (hotglue's are a few kB). */
export const DEFAULT_WEBHOOK_BODY_TIMEOUT_MS = 5_000;

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

/** zod schema of `secrets`: strings only, no other key. Its messages name the field, never a value. */
const SECRETS_SCHEMA = z
  .object({
    job: z.string({ error: 'must be a string.' }).optional(),
    discover: z.string({ error: 'must be a string.' }).optional(),
    connection: z.string({ error: 'must be a string.' }).optional(),
  })
  .strict();

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

/** Every key `HotglueWebhooksOptions` has: any other fails the boot, naming it. */
const WEBHOOK_OPTION_KEYS = [
  'secret',
  'secrets',
  'maxBodyBytes',
  'maxInFlightBodyBytes',
  'bodyTimeoutMs',
  'replayWindowMs',
  'dedupeTtlMs',
  'leaseMs',
  'store',
  'environment',
  'queue',
  'now',
] as const satisfies readonly (keyof HotglueWebhooksOptions)[];

/** zod schema of the options' shape: an object with known keys only (each field is checked below). */
const WEBHOOK_OPTIONS_KEYS_SCHEMA = z.strictObject(
  Object.fromEntries(WEBHOOK_OPTION_KEYS.map((key) => [key, z.unknown()])) as Record<
    (typeof WEBHOOK_OPTION_KEYS)[number],
    z.ZodUnknown
  >,
);

/** Options with every default applied. */
export interface ResolvedWebhookOptions {
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
  readonly queue: ResolvedWebhookQueueOptions | undefined;
}

function wholeInRange(
  issues: HotglueConfigIssue[],
  path: string,
  value: number | undefined,
  min: number,
  max: number,
): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    issues.push({ path, message: `must be a whole number from ${min} to ${max}.` });
  }
}

/**
 * Validates and completes the options; throws one `HotglueConfigError` listing every problem (at boot:
 * the options provider runs while the app is created). Never echoes the secret.
 */
export function resolveWebhookOptions(options: HotglueWebhooksOptions): ResolvedWebhookOptions {
  const issues: HotglueConfigIssue[] = [];
  const shape = WEBHOOK_OPTIONS_KEYS_SCHEMA.safeParse(options);
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push({
            path: `webhooks.${key}`,
            message: `is not a webhook option (${WEBHOOK_OPTION_KEYS.join(', ')}); remove it or fix its spelling.`,
          });
        }
      } else if (issue.path.length === 0) {
        issues.push({ path: 'webhooks', message: 'must be an object of webhook options.' });
      }
    }
    if (typeof options !== 'object' || options === null) throw new HotglueConfigError(issues);
  }
  if (options.secret !== undefined && typeof options.secret !== 'string') {
    issues.push({ path: 'webhooks.secret (HOTGLUE_WEBHOOK_SECRET)', message: 'must be a string.' });
  }
  const secrets = resolveSecrets(issues, options.secrets);
  wholeInRange(issues, 'webhooks.maxBodyBytes', options.maxBodyBytes, 1024, 64 * 1024 * 1024);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
  const maxInFlightBodyBytes =
    options.maxInFlightBodyBytes ?? Math.max(DEFAULT_WEBHOOK_MAX_IN_FLIGHT_BODY_BYTES, maxBodyBytes);
  const minInFlight = Math.max(1024, Number.isInteger(maxBodyBytes) ? maxBodyBytes : 1024);
  if (
    options.maxInFlightBodyBytes !== undefined &&
    !(
      Number.isInteger(maxInFlightBodyBytes) &&
      maxInFlightBodyBytes >= minInFlight &&
      maxInFlightBodyBytes <= 1024 * 1024 * 1024
    )
  ) {
    issues.push({
      path: 'webhooks.maxInFlightBodyBytes',
      message: `must be a whole number from webhooks.maxBodyBytes (${minInFlight}) to 1073741824 (1 GiB): a smaller budget could never admit one body.`,
    });
  }
  wholeInRange(issues, 'webhooks.bodyTimeoutMs', options.bodyTimeoutMs, 100, 10 * 60_000);
  wholeInRange(issues, 'webhooks.replayWindowMs', options.replayWindowMs, 1000, 365 * 24 * 3_600_000);
  wholeInRange(issues, 'webhooks.dedupeTtlMs', options.dedupeTtlMs, 1000, 400 * 24 * 3_600_000);
  wholeInRange(issues, 'webhooks.leaseMs', options.leaseMs, 100, 15 * 60_000);
  const replayWindowMs = options.replayWindowMs ?? DEFAULT_WEBHOOK_REPLAY_WINDOW_MS;
  const dedupeTtlMs = options.dedupeTtlMs ?? replayWindowMs + 3_600_000;
  if (options.dedupeTtlMs !== undefined && dedupeTtlMs < replayWindowMs) {
    issues.push({
      path: 'webhooks.dedupeTtlMs',
      message:
        'must be at least webhooks.replayWindowMs, or a replay inside the window would be processed again.',
    });
  }
  const store = options.store;
  const methods = ['claim', 'complete', 'release', 'renew'] as const;
  if (store !== undefined && methods.some((method) => typeof store?.[method] !== 'function')) {
    issues.push({
      path: 'webhooks.store',
      message:
        'must implement HotglueWebhookStore (claim, complete, release, renew). renew(key, owner, leaseMs) keeps ' +
        'a claim alive while handlers run; without it a handler slower than leaseMs would run twice.',
    });
  }
  if (
    options.environment !== undefined &&
    !HOTGLUE_ENVIRONMENT_NAME_PATTERN.test(String(options.environment))
  ) {
    issues.push({
      path: 'webhooks.environment',
      message: 'must be the name of a registered environment, e.g. "eu" (letters, digits, "_", "-", ".").',
    });
  }
  const queue = resolveWebhookQueueOptions(issues, options.queue, dedupeTtlMs);
  if (issues.length > 0) throw new HotglueConfigError(issues);
  const secret =
    typeof options.secret === 'string' && options.secret.trim() !== '' ? options.secret : undefined;
  return {
    secret,
    secrets: {
      job: secrets?.job ?? secret,
      discover: secrets?.discover ?? secret,
      connection: secrets?.connection ?? secret,
    },
    maxBodyBytes,
    maxInFlightBodyBytes,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_WEBHOOK_BODY_TIMEOUT_MS,
    replayWindowMs,
    dedupeTtlMs,
    leaseMs: options.leaseMs ?? DEFAULT_WEBHOOK_LEASE_MS,
    store: store ?? new MemoryWebhookStore(),
    now: options.now ?? Date.now,
    environment: options.environment,
    queue,
  };
}

const nonBlank = (value: string | undefined) =>
  value !== undefined && value.trim() !== '' ? value : undefined;

/** `secrets` validated with zod (issues name the field and its variable, never a value), blanks dropped. */
function resolveSecrets(
  issues: HotglueConfigIssue[],
  secrets: HotglueWebhookSecrets | undefined,
): HotglueWebhookSecrets | undefined {
  if (secrets === undefined) return undefined;
  const parsed = SECRETS_SCHEMA.safeParse(secrets);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        // Key names are not secrets, but a key may be anything: name the allowed ones instead.
        issues.push({ path: 'webhooks.secrets', message: 'allows only job, discover and connection.' });
      } else if (issue.path.length === 0) {
        issues.push({
          path: 'webhooks.secrets',
          message: 'must be an object { job?, discover?, connection? }.',
        });
      } else {
        const name = String(issue.path[0]) as HotglueWebhookSubscription;
        issues.push({
          path: `webhooks.secrets.${name} (${SECRET_VAR_OF[name]})`,
          message: 'must be a string.',
        });
      }
    }
    return undefined;
  }
  const out: { -readonly [K in keyof HotglueWebhookSecrets]: string } = {};
  for (const name of HOTGLUE_WEBHOOK_SUBSCRIPTIONS) {
    const value = nonBlank(parsed.data[name]);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
