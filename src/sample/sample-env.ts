import {
  type HotglueConfigIssue,
  type HotglueWebhookSecrets,
  hotglueWebhooksOptionsFromEnv,
} from '../hotglue/index.js';

/** Highest `APP_RATE_LIMIT` accepted (requests per minute, per user and per route); load tests use it. */
export const MAX_RATE_LIMIT = 1_000_000;

/** Shortest `APP_AUTH_SECRET` accepted: 32 characters, as RFC 7518 asks 256 bits for HS256. */
export const MIN_AUTH_SECRET_LENGTH = 32;

/** Sample settings read from the environment (besides `HOTGLUE_*`). */
export interface SampleEnv {
  readonly port: number;
  /** Undefined: the caller picks (127.0.0.1 in local mode, 0.0.0.0 otherwise). */
  readonly host?: string;
  /** Undefined when unset (local mode generates one). */
  readonly authSecret?: string;
  readonly corsOrigins: readonly string[];
  readonly rateLimit: number;
  readonly production: boolean;
  /** `APP_DOCS`: undefined when unset (the caller picks: on in local mode, off otherwise). */
  readonly docs?: boolean;
  /** `HOTGLUE_WEBHOOK_SECRET`; undefined when unset or blank (the webhook route then refuses everything). */
  readonly webhookSecret?: string;
  /** `HOTGLUE_WEBHOOK_SECRET_JOB` / `_DISCOVER` / `_CONNECTION`: one secret per subscription, when set. */
  readonly webhookSecrets?: HotglueWebhookSecrets;
  /** `HOTGLUE_WEBHOOK_QUEUE_REDIS_URL`: webhooks in queue mode on that Redis; undefined: inline. */
  readonly webhookQueueRedisUrl?: string;
  /** `REDIS_URL` (`redis://` or `rediss://`); undefined: dedupe, events and rate limits stay in-process. */
  readonly redisUrl?: string;
  /**
   * `REDIS_CLUSTER_NODES`: startup nodes of a Redis Cluster, instead of `REDIS_URL` (comma-separated
   * `redis://` or `rediss://` URLs; the first one's user, password and TLS apply to every node).
   */
  readonly redisClusterNodes?: readonly string[];
}

type Env = Record<string, string | undefined>;

/**
 * Reads `PORT`, `HOST`, `APP_AUTH_SECRET`, `APP_CORS_ORIGINS` (comma-separated origins), `APP_RATE_LIMIT`
 * (requests per minute, per user and per route), `APP_DOCS`, `HOTGLUE_WEBHOOK_SECRET`, `REDIS_URL`,
 * `REDIS_CLUSTER_NODES` and `NODE_ENV`. Pure. Every number is bounded: an absurd value is refused rather than read as "no limit".
 * Problems are returned, never thrown, so the caller
 * lists them together with hotglue's. `requireSecret`: a missing `APP_AUTH_SECRET` is a problem.
 */
export function readSampleEnv(
  env: Env,
  requireSecret: boolean,
): { env: SampleEnv; issues: HotglueConfigIssue[] } {
  const issues: HotglueConfigIssue[] = [];
  const port = integer(env.PORT, 3000);
  if (port === undefined || port < 0 || port > 65535) {
    issues.push({ path: 'PORT', message: 'must be a whole number from 0 to 65535.' });
  }
  const rateLimit = integer(env.APP_RATE_LIMIT, 30);
  if (rateLimit === undefined || rateLimit < 1 || rateLimit > MAX_RATE_LIMIT) {
    issues.push({
      path: 'APP_RATE_LIMIT',
      message: 'must be a whole number of requests per minute, per user and per route, from 1 to 1,000,000.',
    });
  }
  const docsText = blankToUndefined(env.APP_DOCS)?.trim();
  if (docsText !== undefined && docsText !== 'true' && docsText !== 'false') {
    issues.push({ path: 'APP_DOCS', message: 'must be true or false (unset: on in local mode only).' });
  }
  const authSecret = blankToUndefined(env.APP_AUTH_SECRET);
  if (authSecret === undefined && requireSecret) {
    issues.push({
      path: 'APP_AUTH_SECRET',
      message: `is required: set it to a random secret of at least ${MIN_AUTH_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 48\`).`,
    });
  } else if (authSecret !== undefined && authSecret.length < MIN_AUTH_SECRET_LENGTH) {
    // Never echo the value, only its length.
    issues.push({
      path: 'APP_AUTH_SECRET',
      message: `is ${authSecret.length} characters; at least ${MIN_AUTH_SECRET_LENGTH} are required.`,
    });
  }
  const corsOrigins = (blankToUndefined(env.APP_CORS_ORIGINS) ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of corsOrigins) {
    if (!isOrigin(origin)) {
      issues.push({
        path: 'APP_CORS_ORIGINS',
        message:
          'must be a comma-separated list of origins such as https://app.example.com (no path, no "*").',
      });
      break;
    }
  }
  const redisUrl = blankToUndefined(env.REDIS_URL);
  if (redisUrl !== undefined && !isRedisUrl(redisUrl)) {
    // Never echoed: a Redis URL may carry a password.
    issues.push({
      path: 'REDIS_URL',
      message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379.',
    });
  }
  const webhookQueueRedisUrl = blankToUndefined(env.HOTGLUE_WEBHOOK_QUEUE_REDIS_URL);
  if (webhookQueueRedisUrl !== undefined && !isRedisUrl(webhookQueueRedisUrl)) {
    issues.push({
      path: 'HOTGLUE_WEBHOOK_QUEUE_REDIS_URL',
      message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379.',
    });
  }
  const redisClusterNodes = blankToUndefined(env.REDIS_CLUSTER_NODES)
    ?.split(',')
    .map((node) => node.trim())
    .filter((node) => node !== '');
  if (redisClusterNodes !== undefined && redisUrl !== undefined) {
    issues.push({
      path: 'REDIS_CLUSTER_NODES',
      message: 'set REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both.',
    });
  } else if (redisClusterNodes !== undefined && !redisClusterNodes.every(isRedisUrl)) {
    // Never echoed either.
    issues.push({
      path: 'REDIS_CLUSTER_NODES',
      message:
        'must be comma-separated redis:// or rediss:// URLs, e.g. redis://10.0.0.1:6379,redis://10.0.0.2:6379.',
    });
  }
  return {
    env: {
      webhookSecret: blankToUndefined(env.HOTGLUE_WEBHOOK_SECRET),
      ...webhookSecretsOf(env),
      ...(webhookQueueRedisUrl ? { webhookQueueRedisUrl } : {}),
      redisUrl,
      ...(redisClusterNodes?.length ? { redisClusterNodes } : {}),
      port: port ?? 3000,
      host: blankToUndefined(env.HOST),
      authSecret,
      corsOrigins,
      rateLimit: rateLimit ?? 30,
      production: env.NODE_ENV === 'production',
      ...(docsText === 'true' || docsText === 'false' ? { docs: docsText === 'true' } : {}),
    },
    issues,
  };
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function integer(value: string | undefined, fallback: number): number | undefined {
  const text = blankToUndefined(value);
  if (text === undefined) return fallback;
  return /^\d+$/.test(text.trim()) ? Number(text) : undefined;
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/** The per-subscription webhook secrets, read as the library's `hotglueWebhooksConfig` reads them. */
function webhookSecretsOf(env: Env): { webhookSecrets?: HotglueWebhookSecrets } {
  const { secrets } = hotglueWebhooksOptionsFromEnv(env);
  return secrets ? { webhookSecrets: secrets } : {};
}
