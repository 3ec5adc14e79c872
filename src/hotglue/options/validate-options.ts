import { HotglueConfigError, type HotglueConfigIssue, HotglueSigningKeyError } from '../hotglue.errors.js';
import { issueKeys, isUnknownKeyIssue, v } from '../internal/option-schema.js';
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
  const parsed = v.safeParse(hotglueOptionsSchema, input ?? {});
  const schemaIssues = parsed.success ? [] : parsed.issues;
  const issues = toConfigIssues(schemaIssues, name);
  const keySettings = signingKeySettingNames(name);

  let signingKey: HotglueSigningKey | undefined;
  // Parse the key unless the schema already refused one of the two key settings themselves. Matching on the
  // issue's own path (not a prefix of its text) keeps an unknown option such as `signingKeyPath` from
  // hiding a bad key until the next bootstrap.
  const keyFieldsValid = !schemaIssues.some(
    (issue) => issue.path?.[0]?.key === 'signingKey' || issue.path?.[0]?.key === 'signingKeyFile',
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
  } = parsed.output;
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

/**
 * One `HotglueConfigIssue` per schema issue, except unknown keys: those of one object become one issue
 * (`http.timeoutMz, http.retries: unknown options`), where the first of them was.
 */
function toConfigIssues(
  schemaIssues: readonly v.BaseIssue<unknown>[],
  name: string | undefined,
): HotglueConfigIssue[] {
  const issues: HotglueConfigIssue[] = [];
  const unknownByParent = new Map<string, { paths: string[]; issue: { path: string; message: string } }>();
  for (const issue of schemaIssues) {
    const keys = issueKeys(issue);
    if (!isUnknownKeyIssue(issue)) {
      issues.push(toConfigIssue(keys, issue.message, name));
      continue;
    }
    // Keep the parent path, so an unknown key inside a nested object reads `http.timeoutMz`, not `timeoutMz`.
    const parent = keys.slice(0, -1).join('.');
    const group = unknownByParent.get(parent) ?? { paths: [], issue: { path: '', message: '' } };
    if (group.paths.length === 0) {
      unknownByParent.set(parent, group);
      issues.push(group.issue);
    }
    group.paths.push(keys.join('.'));
    group.issue.path = group.paths.join(', ');
    group.issue.message = `unknown option${group.paths.length > 1 ? 's' : ''}; check the spelling against HotglueModuleOptions.`;
  }
  return issues;
}

function toConfigIssue(keys: string[], message: string, name: string | undefined): HotglueConfigIssue {
  const key = keys[0];
  const path = keys.join('.') || '(options)';
  const envVar =
    key !== undefined && key in HOTGLUE_ENV_VARS
      ? hotglueEnvVar(key as keyof typeof HOTGLUE_ENV_VARS, name)
      : undefined;
  return {
    path: envVar ? `${path} (${envVar})` : path,
    message: keys.length === 0 ? 'options must be an object; pass { envId, signingKey, ... }.' : message,
  };
}
