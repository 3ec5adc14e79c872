import { z } from 'zod';

/** hotglue's production API host, as the widget and the docs' curl samples use it. */
export const DEFAULT_HOTGLUE_API_URL = 'https://client-api.hotglue.xyz';
/** hotglue's docs sign tokens for one hour; it is also our ceiling. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
export const MIN_TOKEN_TTL_SECONDS = 60;
export const MAX_TOKEN_TTL_SECONDS = 3600;
/** A cached token is re-signed once less than this share of its lifetime remains. */
export const DEFAULT_TOKEN_REFRESH_MARGIN = 0.2;
/** Tenants whose token stays cached; the least recently used one is evicted beyond it. */
export const DEFAULT_TOKEN_CACHE_SIZE = 10_000;

/** Environment variable behind each option, so config errors name what an operator actually sets. */
export const HOTGLUE_ENV_VARS = {
  envId: 'HOTGLUE_ENV_ID',
  signingKey: 'HOTGLUE_SIGNING_KEY',
  signingKeyFile: 'HOTGLUE_SIGNING_KEY_FILE',
  publicApiKey: 'HOTGLUE_PUBLIC_API_KEY',
  secretApiKey: 'HOTGLUE_SECRET_API_KEY',
  apiUrl: 'HOTGLUE_API_URL',
  flowId: 'HOTGLUE_FLOW_ID',
  tokenTtlSeconds: 'HOTGLUE_TOKEN_TTL_SECONDS',
} as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** An id used as a URL path segment: non-empty, bounded, no whitespace, control characters or `/`. */
const pathId = (what: string, fix: string) =>
  z
    .string({ error: `must be a string. ${fix}` })
    .min(1, { error: `must not be empty. ${fix}` })
    .max(256, { error: `must be at most 256 characters. ${fix}` })
    .regex(/^[^\s/\\\p{Cc}]+$/u, {
      error: `${what} must not contain whitespace, control characters, "/" or "\\".`,
    });

const secret = (fix: string) =>
  z
    .string({ error: `must be a string. ${fix}` })
    .trim()
    .min(1, { error: `must not be empty. ${fix}` });

/**
 * zod schema of `HotglueModuleOptions`. Parsing applies the defaults; messages name the fix and never
 * contain the value, so a misplaced secret cannot leak through a config error.
 */
export const hotglueOptionsSchema = z.object({
  envId: pathId(
    'envId',
    'Set HOTGLUE_ENV_ID to your hotglue environment id, e.g. "dev.example.hotglue.xyz".',
  ),
  signingKey: z
    .union([z.string(), z.instanceof(Buffer)], {
      error: 'must be a string or a Buffer holding the private key (base64 PEM as hotglue shows it, or PEM).',
    })
    .optional(),
  signingKeyFile: z
    .string({ error: 'must be a file path.' })
    .min(1, { error: 'must not be empty; unset it or point it at the key file.' })
    .optional(),
  publicApiKey: secret('Copy the Public API Key from hotglue (Settings > API Keys).').optional(),
  secretApiKey: secret(
    'Copy the Secret (Environment) API Key from hotglue (Settings > API Keys).',
  ).optional(),
  apiUrl: z
    .string({ error: 'must be a URL string.' })
    .default(DEFAULT_HOTGLUE_API_URL)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `must be an absolute URL, e.g. ${DEFAULT_HOTGLUE_API_URL}.`,
        });
        return;
      }
      if (url.username || url.password) {
        ctx.addIssue({
          code: 'custom',
          message: 'must not contain credentials; API keys go in their own settings.',
        });
      }
      if (url.search || url.hash) {
        ctx.addIssue({ code: 'custom', message: 'must not contain a query string or a fragment.' });
      }
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
        ctx.addIssue({
          code: 'custom',
          message: 'must use https (plain http is allowed only for loopback hosts such as 127.0.0.1).',
        });
      }
    })
    .transform((value) => value.replace(/\/+$/, '')),
  flowId: pathId('flowId', 'Set HOTGLUE_FLOW_ID to a flow id from hotglue, e.g. "l8odS2mce".').optional(),
  tokenTtlSeconds: z
    .number({
      error: `must be a whole number of seconds from ${MIN_TOKEN_TTL_SECONDS} to ${MAX_TOKEN_TTL_SECONDS}.`,
    })
    .int({ error: 'must be a whole number of seconds.' })
    .min(MIN_TOKEN_TTL_SECONDS, { error: `must be at least ${MIN_TOKEN_TTL_SECONDS} seconds.` })
    .max(MAX_TOKEN_TTL_SECONDS, { error: `must be at most ${MAX_TOKEN_TTL_SECONDS} seconds (one hour).` })
    .default(DEFAULT_TOKEN_TTL_SECONDS),
  tokenRefreshMargin: z
    .number({ error: 'must be a number between 0 and 0.5 (a share of the token lifetime).' })
    .gt(0, { error: 'must be greater than 0.' })
    .max(0.5, { error: 'must be at most 0.5, or cached tokens would be re-signed almost every call.' })
    .default(DEFAULT_TOKEN_REFRESH_MARGIN),
  tokenCacheSize: z
    .number({ error: 'must be a whole number of tenants.' })
    .int({ error: 'must be a whole number of tenants.' })
    .min(1, { error: 'must be at least 1.' })
    .max(10_000_000, { error: 'must be at most 10,000,000.' })
    .default(DEFAULT_TOKEN_CACHE_SIZE),
});

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
  /** Public API key (`HOTGLUE_PUBLIC_API_KEY`): widget-style calls that carry a tenant token. */
  publicApiKey?: string;
  /** Secret (environment) API key (`HOTGLUE_SECRET_API_KEY`): backend-only calls. */
  secretApiKey?: string;
  /** API base URL (`HOTGLUE_API_URL`). Default `https://client-api.hotglue.xyz`; https unless loopback. */
  apiUrl?: string;
  /** Default flow id for calls that take one (`HOTGLUE_FLOW_ID`). */
  flowId?: string;
  /** Token lifetime in seconds (`HOTGLUE_TOKEN_TTL_SECONDS`), 60..3600. Default 3600. */
  tokenTtlSeconds?: number;
  /** `getToken` re-signs once less than this share of the lifetime remains, (0, 0.5]. Default 0.2. */
  tokenRefreshMargin?: number;
  /** How many tenants' tokens `getToken` keeps (LRU). Default 10,000. */
  tokenCacheSize?: number;
}

/** Options after validation and defaults. API keys are non-enumerable so logging the object hides them. */
export type HotglueResolvedOptions = Readonly<
  Omit<z.output<typeof hotglueOptionsSchema>, 'signingKey' | 'signingKeyFile'>
>;
