import type { z } from 'zod';
import { HotglueConfigError, type HotglueConfigIssue, HotglueSigningKeyError } from '../hotglue.errors.js';
import { type HotglueSigningKey, loadSigningKey, type SigningKeySettingNames } from '../signing-key/index.js';
import { assertEnvironmentName, hotglueEnvVar } from './environment-names.js';
import {
  HOTGLUE_ENV_VARS,
  type HotglueModuleOptions,
  type HotglueValidatedOptions,
  hotglueOptionsSchema,
} from './hotglue.options.js';

/** Validated options plus the signing key parsed from them. */
export interface HotglueSetup {
  readonly options: HotglueValidatedOptions;
  readonly signingKey: HotglueSigningKey;
  /** The environment's name; `undefined` for the unnamed one. */
  readonly name?: string;
  /** The key file to reload on change, when the key came from one and reloading is on. */
  readonly keyFile?: { readonly path: string; readonly pollMs: number; readonly setting: string };
  /** How the key settings are named in messages (`HOTGLUE_<NAME>_SIGNING_KEY` for a named environment). */
  readonly keySettings: SigningKeySettingNames;
}

/** Options of `validateHotglueOptions`. */
export interface ValidateHotglueOptions {
  /** A named environment: messages then name its `HOTGLUE_<NAME>_*` variables. */
  readonly name?: string;
}

/** The key settings as messages name them, e.g. `signingKeyFile (HOTGLUE_EU_SIGNING_KEY_FILE)`. */
export function signingKeySettingNames(name?: string): SigningKeySettingNames {
  return {
    inline: `signingKey (${hotglueEnvVar('signingKey', name)})`,
    file: `signingKeyFile (${hotglueEnvVar('signingKeyFile', name)})`,
  };
}

/**
 * Validates module options and parses the signing key, reporting every problem at once in one
 * `HotglueConfigError` (the `@nestjs/config` way: `path: message` under one heading). Runs at bootstrap.
 */
export function validateHotglueOptions(
  input: HotglueModuleOptions | undefined,
  { name }: ValidateHotglueOptions = {},
): HotglueSetup {
  if (name !== undefined) assertEnvironmentName(name);
  const parsed = hotglueOptionsSchema.strict().safeParse(input ?? {});
  const schemaIssues = parsed.success ? [] : parsed.error.issues;
  const issues: HotglueConfigIssue[] = schemaIssues.map((issue) => toConfigIssue(issue, name));
  const keySettings = signingKeySettingNames(name);

  let signingKey: HotglueSigningKey | undefined;
  // Parse the key unless the schema already refused one of the two key settings themselves. Matching on the
  // issue's own path (not a prefix of its text) keeps an unknown option such as `signingKeyPath` from
  // hiding a bad key until the next bootstrap.
  const keyFieldsValid = !schemaIssues.some(
    (issue) => issue.path[0] === 'signingKey' || issue.path[0] === 'signingKeyFile',
  );
  if (keyFieldsValid) {
    try {
      signingKey = loadSigningKey(input ?? {}, keySettings);
    } catch (error) {
      if (!(error instanceof HotglueSigningKeyError)) throw error;
      issues.push({ path: error.setting, message: error.detail });
    }
  }
  if (!parsed.success || !signingKey || issues.length > 0) throw new HotglueConfigError(issues);

  const {
    signingKey: _inline,
    signingKeyFile,
    signingKeyFilePollMs,
    publicApiKey,
    secretApiKey,
    ...rest
  } = parsed.data;
  const options = { ...rest } as HotglueValidatedOptions;
  // Non-enumerable: `console.log(options)`, JSON.stringify and spreads do not carry the API keys.
  Object.defineProperty(options, 'publicApiKey', { value: publicApiKey, enumerable: false });
  Object.defineProperty(options, 'secretApiKey', { value: secretApiKey, enumerable: false });
  const keyFile =
    signingKeyFile !== undefined && signingKeyFilePollMs > 0
      ? { path: signingKeyFile, pollMs: signingKeyFilePollMs, setting: keySettings.file }
      : undefined;
  return {
    options: Object.freeze(options),
    signingKey,
    keySettings,
    ...(name === undefined ? {} : { name }),
    ...(keyFile ? { keyFile } : {}),
  };
}

function toConfigIssue(issue: z.core.$ZodIssue, name: string | undefined): HotglueConfigIssue {
  const key = issue.path[0];
  if (issue.code === 'unrecognized_keys') {
    // Keep the parent path, so an unknown key inside a nested object reads `http.timeoutMz`, not `timeoutMz`.
    const parent = issue.path.map(String);
    return {
      path: issue.keys.map((unknown) => [...parent, unknown].join('.')).join(', '),
      message: `unknown option${issue.keys.length > 1 ? 's' : ''}; check the spelling against HotglueModuleOptions.`,
    };
  }
  const path = issue.path.map(String).join('.') || '(options)';
  const envVar =
    typeof key === 'string' && key in HOTGLUE_ENV_VARS
      ? hotglueEnvVar(key as keyof typeof HOTGLUE_ENV_VARS, name)
      : undefined;
  const message =
    issue.path.length === 0 ? 'options must be an object; pass { envId, signingKey, ... }.' : issue.message;
  return { path: envVar ? `${path} (${envVar})` : path, message };
}
