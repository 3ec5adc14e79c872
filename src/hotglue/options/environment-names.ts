import { HotglueArgumentError } from '../hotglue.errors.js';
import { HOTGLUE_ENV_VARS } from './hotglue.options.js';

/**
 * Accepted names of a named environment (`HotglueModule.forRoot({ name })`): a letter or digit, then letters,
 * digits, `_`, `-` or `.`, at most 64 characters. Names go into injection tokens, log lines and variable
 * names, so nothing that needs escaping is allowed.
 */
export const HOTGLUE_ENVIRONMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Returns `name` when it is a valid environment name; throws `HotglueArgumentError` naming `name` otherwise. */
export function assertEnvironmentName(name: unknown): string {
  if (typeof name !== 'string' || !HOTGLUE_ENVIRONMENT_NAME_PATTERN.test(name)) {
    throw new HotglueArgumentError(
      'name',
      'must be 1 to 64 letters, digits, "_", "-" or "." starting with a letter or digit, e.g. "eu" or "sandbox".',
    );
  }
  return name;
}

/**
 * Prefix of an environment's variables: `HOTGLUE_` for the unnamed one, `HOTGLUE_<NAME>_` for a named one,
 * upper-cased with every character other than A-Z and 0-9 written as `_` (`eu-west` -> `HOTGLUE_EU_WEST_`).
 */
export function hotglueEnvPrefix(name?: string): string {
  if (name === undefined) return 'HOTGLUE_';
  return `HOTGLUE_${assertEnvironmentName(name)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '_')}_`;
}

/** The variable behind `option` in environment `name`, e.g. `HOTGLUE_EU_ENV_ID`. */
export function hotglueEnvVar(option: keyof typeof HOTGLUE_ENV_VARS, name?: string): string {
  return HOTGLUE_ENV_VARS[option].replace(/^HOTGLUE_/, hotglueEnvPrefix(name));
}

/** How an environment is named in log lines and messages: `hotglue` or `hotglue "eu"`. */
export function describeEnvironment(name?: string): string {
  return name === undefined ? 'hotglue' : `hotglue "${name}"`;
}
