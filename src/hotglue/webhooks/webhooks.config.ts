import { registerAs } from '@nestjs/config';
import { hotglueEnvPrefix } from '../options/environment-names.js';
import {
  HOTGLUE_WEBHOOK_SUBSCRIPTIONS,
  type HotglueWebhookSecrets,
  type HotglueWebhooksOptions,
} from './webhook-options.js';

/** The variable holding hotglue's webhook secret; the README's settings table lists it. */
export const HOTGLUE_WEBHOOK_SECRET_VAR = 'HOTGLUE_WEBHOOK_SECRET';

/**
 * The variables holding one subscription's secret each (`HOTGLUE_WEBHOOK_SECRET_JOB`, `_DISCOVER`,
 * `_CONNECTION`; `HOTGLUE_<NAME>_WEBHOOK_SECRET_JOB`... for a named environment). Each one set overrides
 * `HOTGLUE_WEBHOOK_SECRET` for its subscription.
 */
export const HOTGLUE_WEBHOOK_SUBSCRIPTION_SECRET_VARS = {
  job: 'HOTGLUE_WEBHOOK_SECRET_JOB',
  discover: 'HOTGLUE_WEBHOOK_SECRET_DISCOVER',
  connection: 'HOTGLUE_WEBHOOK_SECRET_CONNECTION',
} as const;

/**
 * The variable that turns queue mode on: the Redis URL of the webhook queue (`redis://` or `rediss://`).
 * Read by `hotglueWebhooksConfig` (`HOTGLUE_<NAME>_WEBHOOK_QUEUE_REDIS_URL` for a named environment).
 */
export const HOTGLUE_WEBHOOK_QUEUE_REDIS_URL_VAR = 'HOTGLUE_WEBHOOK_QUEUE_REDIS_URL';

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** Pure: the webhook options found in `env` (a blank secret counts as unset). */
export function hotglueWebhooksOptionsFromEnv(
  env: Record<string, string | undefined>,
  name?: string,
): HotglueWebhooksOptions {
  const read = (variable: string) => env[variable.replace(/^HOTGLUE_/, hotglueEnvPrefix(name))];
  const secret = read(HOTGLUE_WEBHOOK_SECRET_VAR);
  const secrets: { -readonly [K in keyof HotglueWebhookSecrets]: string } = {};
  for (const subscription of HOTGLUE_WEBHOOK_SUBSCRIPTIONS) {
    const value = read(HOTGLUE_WEBHOOK_SUBSCRIPTION_SECRET_VARS[subscription]);
    if (set(value)) secrets[subscription] = value;
  }
  const queueUrl = read(HOTGLUE_WEBHOOK_QUEUE_REDIS_URL_VAR);
  return {
    ...(set(queueUrl) ? { queue: { connection: queueUrl.trim() } } : {}),
    ...(name === undefined ? {} : { environment: name }),
    ...(set(secret) ? { secret } : {}),
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
  };
}

/**
 * `registerAs('hotglueWebhooks')` over `HOTGLUE_WEBHOOK_SECRET` (and the per-subscription
 * `HOTGLUE_WEBHOOK_SECRET_JOB` / `_DISCOVER` / `_CONNECTION`; `HOTGLUE_WEBHOOK_QUEUE_REDIS_URL` turns queue
 * mode on with that Redis), kept apart from `hotglueConfig` so the
 * webhook secret is read only where webhooks are received. The one-line wiring:
 * `HotglueWebhooksModule.forRootAsync(hotglueWebhooksConfig.asProvider())`.
 */
export const hotglueWebhooksConfig = registerAs('hotglueWebhooks', () =>
  hotglueWebhooksOptionsFromEnv(process.env),
);

/** What `hotglueWebhooksConfig` / `hotglueWebhooksConfigFor(name)` are: a `registerAs` factory. */
export type HotglueWebhooksConfigFactory = typeof hotglueWebhooksConfig;

const named = new Map<string, HotglueWebhooksConfigFactory>();

/**
 * `hotglueWebhooksConfig` for a named environment: reads `HOTGLUE_<NAME>_WEBHOOK_SECRET` (and
 * `HOTGLUE_<NAME>_WEBHOOK_SECRET_JOB` / `_DISCOVER` / `_CONNECTION`) and binds the route
 * to that environment. Give each environment its own path:
 *
 * ```ts
 * HotglueWebhooksModule.forRootAsync({ path: 'hotglue/eu/webhooks', ...hotglueWebhooksConfigFor('eu').asProvider() })
 * ```
 */
export function hotglueWebhooksConfigFor(name: string): HotglueWebhooksConfigFactory {
  hotglueEnvPrefix(name); // validates the name
  let config = named.get(name);
  if (!config) {
    config = registerAs(`hotglueWebhooks:${name}`, () => hotglueWebhooksOptionsFromEnv(process.env, name));
    named.set(name, config);
  }
  return config;
}
