import { registerAs } from '@nestjs/config';
import { hotglueEnvPrefix } from '../hotglue.environment.js';
import type { HotglueWebhooksOptions } from './webhook-options.js';

/** The variable holding hotglue's webhook secret (ENGINEERING.md §3). */
export const HOTGLUE_WEBHOOK_SECRET_VAR = 'HOTGLUE_WEBHOOK_SECRET';

/** Pure: the webhook options found in `env` (a blank secret counts as unset). */
export function hotglueWebhooksOptionsFromEnv(
  env: Record<string, string | undefined>,
  name?: string,
): HotglueWebhooksOptions {
  const secret = env[HOTGLUE_WEBHOOK_SECRET_VAR.replace(/^HOTGLUE_/, hotglueEnvPrefix(name))];
  const environment = name === undefined ? {} : { environment: name };
  return secret === undefined || secret.trim() === '' ? environment : { ...environment, secret };
}

/**
 * `registerAs('hotglueWebhooks')` over `HOTGLUE_WEBHOOK_SECRET`, kept apart from `hotglueConfig` so the
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
 * `hotglueWebhooksConfig` for a named environment: reads `HOTGLUE_<NAME>_WEBHOOK_SECRET` and binds the route
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
