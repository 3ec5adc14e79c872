import { type ConfigFactoryKeyHost, registerAs } from '@nestjs/config';
import { HotglueConfigError, type HotglueConfigIssue } from '../hotglue.errors.js';
import { assertEnvironmentName, hotglueEnvVar } from './environment-names.js';
import { HOTGLUE_ENV_VARS, type HotglueModuleOptions } from './hotglue.options.js';
import { validateHotglueOptions } from './validate-options.js';

type Env = Record<string, string | undefined>;
type Option = keyof typeof HOTGLUE_ENV_VARS;

/** Options read as numbers when their text is a number (see `readNumber`). */
const NUMERIC_OPTIONS: ReadonlySet<Option> = new Set<Option>(['tokenTtlSeconds']);

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

/**
 * Builds `HotglueModuleOptions` from `HOTGLUE_*` variables, or from `HOTGLUE_<NAME>_*` for a named
 * environment (pure; `hotglueConfig` / `hotglueConfigFor` apply it to `process.env`). Every variable of
 * `HOTGLUE_ENV_VARS` is read, so a named environment supports exactly what the unnamed one does.
 */
export function hotglueOptionsFromEnv(
  env: Record<string, string | undefined>,
  name?: string,
): HotglueModuleOptions {
  const options: Record<string, unknown> = {};
  for (const option of Object.keys(HOTGLUE_ENV_VARS) as Option[]) {
    const variable = hotglueEnvVar(option, name);
    // Unset variables are left out so the schema's defaults apply; wrong types are reported by the schema.
    const value = NUMERIC_OPTIONS.has(option) ? readNumber(env, variable) : read(env, variable);
    if (value !== undefined) options[option] = value;
  }
  return options as unknown as HotglueModuleOptions;
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

/** What `hotglueConfig` and `hotglueConfigFor(name)` are: a config factory with `asProvider()`. */
export type HotglueConfigFactory = (() => HotglueModuleOptions) & ConfigFactoryKeyHost<HotglueModuleOptions>;

const named = new Map<string, HotglueConfigFactory>();

/**
 * `hotglueConfig` for a named environment: reads `HOTGLUE_<NAME>_*` (upper-cased, other characters as `_`),
 * registered under the ConfigModule key `hotglue:<name>`. One object per name, so registering it twice is
 * harmless.
 *
 * ```ts
 * HotglueModule.forRootAsync({ name: 'eu', ...hotglueConfigFor('eu').asProvider() })
 * ```
 */
export function hotglueConfigFor(name: string): HotglueConfigFactory {
  assertEnvironmentName(name);
  let config = named.get(name);
  if (!config) {
    config = registerAs(`hotglue:${name}`, () => hotglueOptionsFromEnv(process.env, name));
    named.set(name, config);
  }
  return config;
}

/**
 * Checks the `HOTGLUE_*` variables (`HOTGLUE_<NAME>_*` with a name) as `HotglueModule` will at bootstrap,
 * signing key included, and returns every problem, each naming its variable (never a secret value); an
 * empty list when the configuration is valid. For a start-up script or a deploy check that reports the
 * host's own settings and hotglue's in one list; `npx nestjs-hotglue check-config` does the same from a shell.
 *
 * ```ts
 * const problems = [...myOwnChecks(process.env), ...checkHotglueEnv(process.env)];
 * ```
 */
export function checkHotglueEnv(
  env: Record<string, string | undefined>,
  name?: string,
): readonly HotglueConfigIssue[] {
  try {
    validateHotglueOptions(hotglueOptionsFromEnv(env, name), name === undefined ? {} : { name });
    return [];
  } catch (error) {
    if (error instanceof HotglueConfigError) return error.issues;
    throw error;
  }
}
