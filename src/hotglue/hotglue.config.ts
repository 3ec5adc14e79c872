import { registerAs } from '@nestjs/config';
import { HOTGLUE_ENV_VARS, type HotglueModuleOptions } from './hotglue.options.js';

type Env = Record<string, string | undefined>;

/** An unset or blank variable is "not configured", never an empty value. */
function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Numbers are converted only when the text is a number, so `HOTGLUE_TOKEN_TTL_SECONDS=abc` reaches the
 * schema as a string and fails with a message naming the variable (not as a silent NaN or default).
 */
function readNumber(env: Env, name: string): number | string | undefined {
  const value = read(env, name);
  return value !== undefined && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

/** Builds `HotglueModuleOptions` from `HOTGLUE_*` variables (pure; `hotglueConfig` applies it to `process.env`). */
export function hotglueOptionsFromEnv(env: Env): HotglueModuleOptions {
  const options = {
    envId: read(env, HOTGLUE_ENV_VARS.envId),
    signingKey: read(env, HOTGLUE_ENV_VARS.signingKey),
    signingKeyFile: read(env, HOTGLUE_ENV_VARS.signingKeyFile),
    publicApiKey: read(env, HOTGLUE_ENV_VARS.publicApiKey),
    secretApiKey: read(env, HOTGLUE_ENV_VARS.secretApiKey),
    apiUrl: read(env, HOTGLUE_ENV_VARS.apiUrl),
    flowId: read(env, HOTGLUE_ENV_VARS.flowId),
    tokenTtlSeconds: readNumber(env, HOTGLUE_ENV_VARS.tokenTtlSeconds),
  };
  // Drop unset variables so the schema's defaults apply; wrong types are reported by the schema.
  return Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as unknown as HotglueModuleOptions;
}

/**
 * `registerAs('hotglue')` over the `HOTGLUE_*` environment variables. The one-line wiring:
 *
 * ```ts
 * imports: [ConfigModule.forRoot(), HotglueModule.forRootAsync(hotglueConfig.asProvider())]
 * ```
 *
 * Validation happens in `HotglueModule`, so a bad variable fails bootstrap with every problem listed.
 */
export const hotglueConfig = registerAs('hotglue', () => hotglueOptionsFromEnv(process.env));
