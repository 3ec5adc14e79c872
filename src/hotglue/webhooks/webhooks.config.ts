import { registerAs } from '@nestjs/config';
import type { HotglueWebhooksOptions } from './webhook-options.js';

/** The variable holding hotglue's webhook secret (ENGINEERING.md §3). */
export const HOTGLUE_WEBHOOK_SECRET_VAR = 'HOTGLUE_WEBHOOK_SECRET';

/** Pure: the webhook options found in `env` (a blank secret counts as unset). */
export function hotglueWebhooksOptionsFromEnv(
  env: Record<string, string | undefined>,
): HotglueWebhooksOptions {
  const secret = env[HOTGLUE_WEBHOOK_SECRET_VAR];
  return secret === undefined || secret.trim() === '' ? {} : { secret };
}

/**
 * `registerAs('hotglueWebhooks')` over `HOTGLUE_WEBHOOK_SECRET`, kept apart from `hotglueConfig` so the
 * webhook secret is read only where webhooks are received. The one-line wiring:
 * `HotglueWebhooksModule.forRootAsync(hotglueWebhooksConfig.asProvider())`.
 */
export const hotglueWebhooksConfig = registerAs('hotglueWebhooks', () =>
  hotglueWebhooksOptionsFromEnv(process.env),
);
