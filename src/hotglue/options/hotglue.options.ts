import type { HotglueRequestHook, HotglueResponseHook } from '../client/client-hooks.js';
import { closedObject, finiteNumber, v } from '../internal/option-schema.js';
import { isSecretLookingName } from '../internal/secret-names.js';
import type { HotglueProviderConnectionHook } from '../provider/index.js';
import { type HotglueProviderEntry, hotglueProvidersOptionSchema } from '../provider/provider-registry.js';

/** The widget's production host; hotglue's API reference also names https://api.hotglue.com (docs/client.md). */
const DEFAULT_HOTGLUE_API_URL = 'https://client-api.hotglue.xyz';
/**
 * Where `createMagicLink` goes: hotglue publishes `POST /{env}/magicLink` only on this host
 * (https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md, OpenAPI `servers`).
 */
const DEFAULT_HOTGLUE_MAGIC_LINK_URL = 'https://api.hotglue.com';
/** hotglue's docs sign tokens for one hour; it is also our ceiling. */
const DEFAULT_TOKEN_TTL_SECONDS = 3600;
export const MIN_TOKEN_TTL_SECONDS = 60;
export const MAX_TOKEN_TTL_SECONDS = 3600;
/** How often a `signingKeyFile` is re-read for a rotated key, ms (the longest a rotation goes unnoticed). */
const DEFAULT_SIGNING_KEY_FILE_POLL_MS = 2_000;
/** Upper bound of `signingKeyFilePollMs`: a rotated key must be noticed within 5 s. */
export const MAX_SIGNING_KEY_FILE_POLL_MS = 5_000;
/** A cached token is re-signed once less than this share of its lifetime remains. */
const DEFAULT_TOKEN_REFRESH_MARGIN = 0.2;
/** Tenants whose token stays cached; the least recently used one is evicted beyond it. */
const DEFAULT_TOKEN_CACHE_SIZE = 10_000;

/** Tenant credentials stop being served from the cache this many seconds before they expire. */
const DEFAULT_CREDENTIALS_REFRESH_MARGIN_SECONDS = 60;
/** How long credentials that carry no expiry stay cached, seconds: short, so a revoked grant shows soon. */
const DEFAULT_CREDENTIALS_DEFAULT_TTL_SECONDS = 60;
/** (tenant, flow, source or connector) credentials kept by `HotglueClient`; LRU beyond it. */
const DEFAULT_CREDENTIALS_CACHE_SIZE = 10_000;

/** Client HTTP defaults (see `HotglueHttpOptions`). */
const DEFAULT_HTTP_CONNECTIONS = 32;
const DEFAULT_HTTP_KEEP_ALIVE_MS = 30_000;
const DEFAULT_HTTP_ATTEMPT_TIMEOUT_MS = 10_000;
const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
const DEFAULT_HTTP_MAX_ATTEMPTS = 3;
const DEFAULT_HTTP_BACKOFF_BASE_MS = 250;
const DEFAULT_HTTP_BACKOFF_MAX_MS = 4_000;
const DEFAULT_HTTP_MAX_RETRY_AFTER_MS = 10_000;
/** 10 MiB: the payload cap of the API Gateway hotglue likely runs behind (see docs/hotglue-reference.md). */
const DEFAULT_HTTP_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Environment variable behind each option, so config errors name what an operator actually sets. */
export const HOTGLUE_ENV_VARS = {
  envId: 'HOTGLUE_ENV_ID',
  signingKey: 'HOTGLUE_SIGNING_KEY',
  signingKeyFile: 'HOTGLUE_SIGNING_KEY_FILE',
  publicApiKey: 'HOTGLUE_PUBLIC_API_KEY',
  secretApiKey: 'HOTGLUE_SECRET_API_KEY',
  apiUrl: 'HOTGLUE_API_URL',
  magicLinkUrl: 'HOTGLUE_MAGIC_LINK_URL',
  flowId: 'HOTGLUE_FLOW_ID',
  tokenTtlSeconds: 'HOTGLUE_TOKEN_TTL_SECONDS',
} as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** "is required" for a missing value, "must be a string" for a value of another type. */
const stringError = (fix: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is required. ${fix}` : `must be a string. ${fix}`;

/** An id used as a URL path segment: non-empty, bounded, no whitespace, control characters or `/`. */
const pathId = (what: string, fix: string) =>
  v.pipe(
    v.string(stringError(fix)),
    v.minLength(1, `must not be empty. ${fix}`),
    v.maxLength(256, `must be at most 256 characters. ${fix}`),
    // An empty or overlong id gets its one message above, not a second one from the pattern.
    v.check(
      (id) => id.length === 0 || id.length > 256 || /^[^\s/\\\p{Cc}]+$/u.test(id),
      `${what} must not contain whitespace, control characters, "/" or "\\".`,
    ),
  );

const secret = (fix: string) =>
  v.pipe(v.string(stringError(fix)), v.trim(), v.minLength(1, `must not be empty. ${fix}`));

/** A whole number from `min` to `max`, with the messages every numeric option uses. */
const whole = (typeError: string, intError: string, min: [number, string], max: [number, string]) =>
  v.pipe(
    finiteNumber(typeError),
    v.integer(intError),
    v.minValue(min[0], min[1]),
    v.maxValue(max[0], max[1]),
  );

const wholeMs = (what: string, min: number, max: number, fix: string) =>
  whole(
    `must be a whole number of milliseconds (${what}). ${fix}`,
    `must be a whole number of milliseconds. ${fix}`,
    [min, `must be at least ${min} ms. ${fix}`],
    [max, `must be at most ${max} ms. ${fix}`],
  );

/**
 * A hotglue base URL (`apiUrl`, `magicLinkUrl`): absolute, https (plain http only for loopback hosts, the
 * emulator), no credentials, query or fragment; trailing slashes dropped.
 */
const baseUrl = (fallback: string) =>
  v.optional(
    v.pipe(
      v.string('must be a URL string.'),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        let url: URL;
        try {
          url = new URL(dataset.value);
        } catch {
          addIssue({ message: `must be an absolute URL, e.g. ${fallback}.` });
          return;
        }
        if (url.username || url.password) {
          addIssue({ message: 'must not contain credentials; API keys go in their own settings.' });
        }
        if (url.search || url.hash) {
          addIssue({ message: 'must not contain a query string or a fragment.' });
        }
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
          addIssue({
            message: 'must use https (plain http is allowed only for loopback hosts such as 127.0.0.1).',
          });
        }
      }),
      v.transform((value) => value.replace(/\/+$/, '')),
    ),
    fallback,
  );

/** valibot schema of `HotglueHttpOptions`: every field optional, defaults applied, unknown keys refused. */
export const hotglueHttpOptionsSchema = v.optional(
  v.pipe(
    closedObject(
      {
        connections: v.optional(
          whole(
            'must be a whole number of sockets from 1 to 1024.',
            'must be a whole number of sockets.',
            [1, 'must be at least 1.'],
            [1024, 'must be at most 1024; more sockets to one host rarely help.'],
          ),
          DEFAULT_HTTP_CONNECTIONS,
        ),
        keepAliveTimeoutMs: v.optional(
          wholeMs('idle keep-alive', 1_000, 600_000, 'Default 30000.'),
          DEFAULT_HTTP_KEEP_ALIVE_MS,
        ),
        attemptTimeoutMs: v.optional(
          wholeMs(
            'one attempt, headers and body',
            10,
            600_000,
            `Default ${DEFAULT_HTTP_ATTEMPT_TIMEOUT_MS}, or http.timeoutMs when that is lower.`,
          ),
        ),
        timeoutMs: v.optional(
          wholeMs(
            'whole call, all attempts and backoff',
            10,
            3_600_000,
            `Default ${DEFAULT_HTTP_TIMEOUT_MS}.`,
          ),
          DEFAULT_HTTP_TIMEOUT_MS,
        ),
        maxAttempts: v.optional(
          whole(
            'must be a whole number of attempts from 1 (no retry) to 10.',
            'must be a whole number of attempts.',
            [1, 'must be at least 1 (1 disables retries).'],
            [10, 'must be at most 10.'],
          ),
          DEFAULT_HTTP_MAX_ATTEMPTS,
        ),
        backoffBaseMs: v.optional(
          wholeMs(
            'first backoff ceiling',
            1,
            60_000,
            `Default ${DEFAULT_HTTP_BACKOFF_BASE_MS}, or http.backoffMaxMs when that is lower.`,
          ),
        ),
        backoffMaxMs: v.optional(
          wholeMs('backoff cap', 1, 300_000, `Default ${DEFAULT_HTTP_BACKOFF_MAX_MS}.`),
          DEFAULT_HTTP_BACKOFF_MAX_MS,
        ),
        maxRetryAfterMs: v.optional(
          wholeMs(
            'longest Retry-After honoured',
            0,
            3_600_000,
            `Default ${DEFAULT_HTTP_MAX_RETRY_AFTER_MS}.`,
          ),
          DEFAULT_HTTP_MAX_RETRY_AFTER_MS,
        ),
        maxResponseBytes: v.optional(
          whole(
            'must be a whole number of bytes from 1024 to 1 GiB.',
            'must be a whole number of bytes.',
            [1024, 'must be at least 1024 bytes.'],
            [1024 * 1024 * 1024, 'must be at most 1 GiB (1073741824 bytes).'],
          ),
          DEFAULT_HTTP_MAX_RESPONSE_BYTES,
        ),
      },
      'must be an object such as { timeoutMs: 30000, maxAttempts: 3 }.',
    ),
    // Only values the user set can conflict; a default follows the other setting instead of failing, so
    // `{ timeoutMs: 5000 }` alone is valid (attempts then time out at 5 s too).
    v.forward(
      v.partialCheck(
        [['attemptTimeoutMs'], ['timeoutMs']],
        (http: { readonly attemptTimeoutMs?: number; readonly timeoutMs: number }) =>
          http.attemptTimeoutMs === undefined || http.attemptTimeoutMs <= http.timeoutMs,
        'must not exceed http.timeoutMs (the overall deadline); lower it or raise http.timeoutMs.',
      ),
      ['attemptTimeoutMs'],
    ),
    v.forward(
      v.partialCheck(
        [['backoffBaseMs'], ['backoffMaxMs']],
        (http: { readonly backoffBaseMs?: number; readonly backoffMaxMs: number }) =>
          http.backoffBaseMs === undefined || http.backoffBaseMs <= http.backoffMaxMs,
        'must not exceed http.backoffMaxMs (the backoff cap); lower it or raise http.backoffMaxMs.',
      ),
      ['backoffBaseMs'],
    ),
    v.transform((http) => ({
      ...http,
      attemptTimeoutMs: http.attemptTimeoutMs ?? Math.min(DEFAULT_HTTP_ATTEMPT_TIMEOUT_MS, http.timeoutMs),
      backoffBaseMs: http.backoffBaseMs ?? Math.min(DEFAULT_HTTP_BACKOFF_BASE_MS, http.backoffMaxMs),
    })),
  ),
  {},
);

const hook = <T>(message: string) => v.optional(v.custom<T>((value) => typeof value === 'function', message));

/**
 * valibot schema of `HotglueModuleOptions`: unknown keys refused, each by name. Parsing applies the
 * defaults; messages name the fix and never contain the value, so a misplaced secret cannot leak through a
 * config error.
 */
export const hotglueOptionsSchema = closedObject(
  {
    envId: pathId(
      'envId',
      'Set HOTGLUE_ENV_ID to your hotglue environment id, e.g. "dev.example.hotglue.xyz".',
    ),
    signingKey: v.optional(
      v.union(
        [v.string(), v.instance(Buffer)],
        'must be a string or a Buffer holding the private key (base64 PEM as hotglue shows it, or PEM).',
      ),
    ),
    signingKeyFile: v.optional(
      v.pipe(
        v.string('must be a file path.'),
        v.minLength(1, 'must not be empty; unset it or point it at the key file.'),
      ),
    ),
    publicApiKey: v.optional(secret('Copy the Public API Key from hotglue (Settings > API Keys).')),
    secretApiKey: v.optional(
      secret('Copy the Secret (Environment) API Key from hotglue (Settings > API Keys).'),
    ),
    apiUrl: baseUrl(DEFAULT_HOTGLUE_API_URL),
    magicLinkUrl: baseUrl(DEFAULT_HOTGLUE_MAGIC_LINK_URL),
    flowId: v.optional(pathId('flowId', 'Set HOTGLUE_FLOW_ID to a flow id from hotglue, e.g. "l8odS2mce".')),
    signingKeyFilePollMs: v.optional(
      v.pipe(
        finiteNumber(
          `must be 0 (no reloading) or a whole number of milliseconds from 50 to ${MAX_SIGNING_KEY_FILE_POLL_MS}.`,
        ),
        v.integer('must be a whole number of milliseconds.'),
        v.check(
          (ms) => ms === 0 || (ms >= 50 && ms <= MAX_SIGNING_KEY_FILE_POLL_MS),
          `must be 0 (no reloading) or from 50 to ${MAX_SIGNING_KEY_FILE_POLL_MS} ms; a rotated key must be noticed within 5 s.`,
        ),
      ),
      DEFAULT_SIGNING_KEY_FILE_POLL_MS,
    ),
    tokenTtlSeconds: v.optional(
      whole(
        `must be a whole number of seconds from ${MIN_TOKEN_TTL_SECONDS} to ${MAX_TOKEN_TTL_SECONDS}.`,
        'must be a whole number of seconds.',
        [MIN_TOKEN_TTL_SECONDS, `must be at least ${MIN_TOKEN_TTL_SECONDS} seconds.`],
        [MAX_TOKEN_TTL_SECONDS, `must be at most ${MAX_TOKEN_TTL_SECONDS} seconds (one hour).`],
      ),
      DEFAULT_TOKEN_TTL_SECONDS,
    ),
    tokenRefreshMargin: v.optional(
      v.pipe(
        finiteNumber('must be a number between 0 and 0.5 (a share of the token lifetime).'),
        v.gtValue(0, 'must be greater than 0.'),
        v.maxValue(0.5, 'must be at most 0.5, or cached tokens would be re-signed almost every call.'),
      ),
      DEFAULT_TOKEN_REFRESH_MARGIN,
    ),
    tokenCacheSize: v.optional(
      whole(
        'must be a whole number of tenants.',
        'must be a whole number of tenants.',
        [1, 'must be at least 1.'],
        [10_000_000, 'must be at most 10,000,000.'],
      ),
      DEFAULT_TOKEN_CACHE_SIZE,
    ),
    credentialsRefreshMarginSeconds: v.optional(
      whole(
        'must be a whole number of seconds from 0 to 3600.',
        'must be a whole number of seconds.',
        [0, 'must be at least 0.'],
        [3600, 'must be at most 3600 (one hour); OAuth access tokens often live only an hour.'],
      ),
      DEFAULT_CREDENTIALS_REFRESH_MARGIN_SECONDS,
    ),
    credentialsDefaultTtlSeconds: v.optional(
      whole(
        'must be a whole number of seconds from 0 (do not cache) to 3600.',
        'must be a whole number of seconds.',
        [0, 'must be at least 0 (0 disables caching of credentials without an expiry).'],
        [3600, 'must be at most 3600; without an expiry, a revoked grant stays cached this long.'],
      ),
      DEFAULT_CREDENTIALS_DEFAULT_TTL_SECONDS,
    ),
    credentialsCacheSize: v.optional(
      whole(
        'must be a whole number of cached credentials.',
        'must be a whole number of cached credentials.',
        [1, 'must be at least 1.'],
        [10_000_000, 'must be at most 10,000,000.'],
      ),
      DEFAULT_CREDENTIALS_CACHE_SIZE,
    ),
    credentialsProperties: v.optional(
      v.pipe(
        v.array(
          v.pipe(
            v.string('must be a config field name (a string).'),
            v.minLength(1, 'must not be empty.'),
            v.maxLength(128, 'must be at most 128 characters.'),
            v.check(
              // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
              (name) => !/[,\u0000-\u001f\u007f]/.test(name),
              'must not contain "," or control characters.',
            ),
            v.check(
              (name) => !isSecretLookingName(name),
              // The name is not echoed: it sits beside secrets in hotglue's config, and one may be pasted here.
              'looks like the name of a secret (see docs/credentials.md), so it never reaches properties. ' +
                "Read it from hotglue's config yourself if you really need it.",
            ),
          ),
          'must be an array of config field names, e.g. ["instance_url"].',
        ),
        v.maxLength(200, 'must name at most 200 fields.'),
      ),
      () => [],
    ),
    http: hotglueHttpOptionsSchema,
    telemetry: v.optional(v.boolean('must be true or false.'), true),
    onRequest: hook<HotglueRequestHook>(
      'must be a function; onRequest receives one event object per attempt.',
    ),
    onResponse: hook<HotglueResponseHook>(
      'must be a function; onResponse receives one event object per attempt.',
    ),
    providers: hotglueProvidersOptionSchema,
    providerHttp: hotglueHttpOptionsSchema,
    onProviderConnectionChange: hook<HotglueProviderConnectionHook>(
      'must be a function; it receives one event per change of a tenant connection (revoked, recovered).',
    ),
  },
  'options must be an object; pass { envId, signingKey, ... }.',
);

/**
 * Options of `HotglueModule.forRoot()` / `forRootAsync()`. With `ConfigModule`, `hotglueConfig` builds
 * them from the `HOTGLUE_*` environment variables.
 */
export interface HotglueModuleOptions {
  /** hotglue environment id (`HOTGLUE_ENV_ID`), e.g. `dev.example.hotglue.xyz`. Required. */
  envId: string;
  /**
   * The environment's private signing key (`HOTGLUE_SIGNING_KEY`): base64 of a PEM as hotglue's admin panel
   * shows it, a raw PEM, or a PEM with literal `\n` escapes; PKCS#1 or PKCS#8; RSA >= 2048 bits.
   * Set exactly one of `signingKey` and `signingKeyFile`.
   */
  signingKey?: string | Buffer;
  /** Path of a file holding the signing key in any accepted form (`HOTGLUE_SIGNING_KEY_FILE`). */
  signingKeyFile?: string;
  /**
   * With `signingKeyFile`: how often the file is re-read for a rotated key, ms (0 disables reloading; 50..5000,
   * default 2000). A changed file is validated as at boot and swapped in without a restart; a bad one is
   * refused (the last good key keeps signing) and reported by one error log line and the health indicator.
   * A change in the file's directory (Kubernetes' symlink swap) is usually noticed sooner.
   */
  signingKeyFilePollMs?: number;
  /** Public API key (`HOTGLUE_PUBLIC_API_KEY`): widget-style calls that carry a tenant token. */
  publicApiKey?: string;
  /** Secret (environment) API key (`HOTGLUE_SECRET_API_KEY`): backend-only calls. */
  secretApiKey?: string;
  /**
   * API base URL (`HOTGLUE_API_URL`). Default `https://client-api.hotglue.xyz`, the host of hotglue's widget
   * and of the curl samples on its rendered pages; the OpenAPI blocks of hotglue's API reference name
   * `https://api.hotglue.com` (docs/client.md, "API host"). Either works here; https unless loopback.
   */
  apiUrl?: string;
  /**
   * Base URL of `createMagicLink` only (`HOTGLUE_MAGIC_LINK_URL`). Default `https://api.hotglue.com`, the one
   * host hotglue publishes `POST /{env}/magicLink` on
   * (https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md); every other call goes to
   * `apiUrl`. Same rules as `apiUrl`: https unless loopback. The testing kit points it at the emulator.
   */
  magicLinkUrl?: string;
  /** Default flow id for calls that take one (`HOTGLUE_FLOW_ID`). */
  flowId?: string;
  /** Token lifetime in seconds (`HOTGLUE_TOKEN_TTL_SECONDS`), 60..3600. Default 3600. */
  tokenTtlSeconds?: number;
  /** `getToken` re-signs once less than this share of the lifetime remains, (0, 0.5]. Default 0.2. */
  tokenRefreshMargin?: number;
  /** How many tenants' tokens `getToken` keeps (LRU). Default 10,000. */
  tokenCacheSize?: number;
  /**
   * `getSourceCredentials` / `getConnectorCredentials` serve cached credentials until this many seconds before
   * their `expiresAt`, then fetch again, so a caller never gets a token about to expire, 0..3600. Default 60.
   * Credentials that expire sooner than this after the fetch are returned but not cached.
   */
  credentialsRefreshMarginSeconds?: number;
  /**
   * How long credentials without any expiry (no `expires_at`, `token_expiry` or `expires_in` in hotglue's
   * answer) stay cached, seconds, 0..3600; 0 fetches them on every call. Default 60: short, because nothing
   * else tells the cache that the tenant revoked the grant (a connection webhook or `evictCredentials` does).
   */
  credentialsDefaultTtlSeconds?: number;
  /** How many (tenant, flow, source or connector) credentials `HotglueClient` keeps (LRU). Default 10,000. */
  credentialsCacheSize?: number;
  /**
   * Config field names that `HotglueCredentials.properties` may carry beyond the built-in non-secret ones
   * (`DEFAULT_CREDENTIAL_PROPERTIES`: `instance_url`, `client_id`, `region`, `realmId`, ...). Every other
   * field of hotglue's config stays out unless a call names it in `properties`. A name that looks secret
   * (`token`, `key`, `pass`, `auth`, `pat`, `pin`, `dsn`, ... see docs/credentials.md) is refused here at boot
   * and never reaches `properties` whichever list names it; URLs in values lose their user and password.
   * Default `[]`.
   */
  credentialsProperties?: string[];
  /** Transport of `HotglueClient`: pool, timeouts, retries, response cap. Every field has a default. */
  http?: HotglueHttpOptions;
  /**
   * OpenTelemetry metrics and client spans, when the app has `@opentelemetry/api` installed (an optional
   * peer, loaded lazily at module init; without it nothing is loaded and nothing changes). Register your
   * SDK before the Nest app is created. Default `true`; `false` turns them off for this environment.
   */
  telemetry?: boolean;
  /**
   * Called before every attempt `HotglueClient` sends (metrics, tracing). Receives method, redacted path,
   * attempt and auth mode; never a key or a token. Exceptions it throws are ignored.
   */
  onRequest?: HotglueRequestHook;
  /**
   * Called after every attempt: status (or the error code), duration, attempt, whether it will be retried.
   * Never receives a key or a token. Exceptions it throws are ignored.
   */
  onResponse?: HotglueResponseHook;
  /**
   * Provider registry entries for `HotglueClient.provider()`, keyed by tap or connector id: added to the
   * built-in ones (Salesforce, HubSpot, Pipedrive, QuickBooks, Xero, Shopify, Zoho CRM, Dynamics, Microsoft
   * Graph...), replacing a built-in entry of the same id. Validated at boot. See docs/providers.md.
   */
  providers?: Record<string, HotglueProviderEntry>;
  /**
   * Transport of provider calls (`HotglueClient.provider()`): the same fields and defaults as `http` (pool
   * size, attempt and call time limits, attempts, backoff, longest `Retry-After`, response size cap).
   */
  providerHttp?: HotglueHttpOptions;
  /**
   * Called once per change of a tenant's provider connection: `revoked` when the provider refuses the
   * tenant's token also after fresh credentials, `recovered` when a call succeeds again. Never receives a
   * token. Exceptions it throws are ignored.
   */
  onProviderConnectionChange?: HotglueProviderConnectionHook;
}

/** HTTP settings of `HotglueClient` (option `http`). All optional; defaults in brackets. */
export interface HotglueHttpOptions {
  /** Most sockets the keep-alive pool opens to the API host [32]. */
  connections?: number;
  /** Idle time after which a pooled socket is closed, ms [30000]. */
  keepAliveTimeoutMs?: number;
  /** Time limit of one attempt, from sending until the whole body is read, ms [10000]. */
  attemptTimeoutMs?: number;
  /** Time limit of the whole call: every attempt and every backoff, ms [30000]. Must be >= attemptTimeoutMs. */
  timeoutMs?: number;
  /** Most attempts per call, the first included; 1 disables retries [3]. */
  maxAttempts?: number;
  /** Ceiling of the first backoff; the ceiling doubles per retry and each wait is random in [0, ceiling) ms [250]. */
  backoffBaseMs?: number;
  /** Cap of the backoff ceiling, ms [4000]. */
  backoffMaxMs?: number;
  /**
   * Longest `Retry-After` the client waits, ms [10000]. A longer one fails the call at once with
   * `HotglueRetryAfterTooLongError` instead of being silently shortened.
   */
  maxRetryAfterMs?: number;
  /** Largest response body read, bytes [10 MiB]. Reading stops beyond it with `HotglueResponseTooLargeError`. */
  maxResponseBytes?: number;
}

/** Options after validation and defaults. API keys are non-enumerable so logging the object hides them. */
export type HotglueValidatedOptions = Readonly<
  Omit<v.InferOutput<typeof hotglueOptionsSchema>, 'signingKey' | 'signingKeyFile' | 'signingKeyFilePollMs'>
>;
