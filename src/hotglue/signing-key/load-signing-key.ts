import { HotglueSigningKeyError } from '../hotglue.errors.js';
import {
  KEY_FILE_NOT_REGULAR,
  KEY_FILE_TOO_LARGE,
  KeyFileReadFailure,
  readKeyFileSync,
} from './key-file-read.js';
import { type HotglueSigningKey, parseSigningKey } from './signing-key.js';
import { MAX_SIGNING_KEY_LENGTH } from './signing-key-text.js';

/** Where a signing key may come from: inline, or a file (mounted secrets). Exactly one must be set. */
export interface SigningKeyInput {
  /** The key inline, in any accepted form. */
  readonly signingKey?: string | Buffer;
  /** Path of a file holding the key in any accepted form. */
  readonly signingKeyFile?: string;
}

/** How the two settings are named in messages: option name plus the environment variable behind it. */
export const SIGNING_KEY_SETTING = 'signingKey (HOTGLUE_SIGNING_KEY)';
export const SIGNING_KEY_FILE_SETTING = 'signingKeyFile (HOTGLUE_SIGNING_KEY_FILE)';

/** How the two key settings are named in messages (a named environment has its own variables). */
export interface SigningKeySettingNames {
  readonly inline: string;
  readonly file: string;
}

const DEFAULT_SETTING_NAMES: SigningKeySettingNames = {
  inline: SIGNING_KEY_SETTING,
  file: SIGNING_KEY_FILE_SETTING,
};

/**
 * Reads the key from its one source and parses it. Synchronous on purpose: it runs once at bootstrap,
 * where failing fast with a precise message beats any latency concern.
 */
export function loadSigningKey(
  source: SigningKeyInput,
  settings: SigningKeySettingNames = DEFAULT_SETTING_NAMES,
): HotglueSigningKey {
  const { inline: inlineSetting, file: fileSetting } = settings;
  const hasInline = source.signingKey !== undefined;
  const hasFile = source.signingKeyFile !== undefined;
  if (hasInline && hasFile) {
    throw new HotglueSigningKeyError(
      'both-set',
      `${inlineSetting} / ${fileSetting}`,
      'both are set; set exactly one so it is clear which key signs.',
    );
  }
  if (hasFile) return parseSigningKey(readKeyFile(source.signingKeyFile!, fileSetting), fileSetting);
  if (hasInline) return parseSigningKey(source.signingKey!, inlineSetting);
  throw new HotglueSigningKeyError(
    'missing',
    inlineSetting,
    `no signing key is configured. Set ${variableOf(inlineSetting)} to the base64 key hotglue shows, ` +
      `or ${variableOf(fileSetting)} to a file that holds it.`,
  );
}

/** `signingKey (HOTGLUE_EU_SIGNING_KEY)` -> `HOTGLUE_EU_SIGNING_KEY`. */
function variableOf(setting: string): string {
  return /\(([A-Z0-9_]+)\)/.exec(setting)?.[1] ?? setting;
}

/**
 * The key file's error for a read failure `code` (also used when a reloaded file cannot be read): an OS code,
 * `not-a-regular-file` or `too-large` (see `key-file-read.ts`).
 */
export function keyFileReadError(
  code: string,
  setting = SIGNING_KEY_FILE_SETTING,
  value?: string,
): HotglueSigningKeyError {
  if (code === KEY_FILE_TOO_LARGE) {
    return new HotglueSigningKeyError(
      'too-large',
      setting,
      `the file it names is larger than ${MAX_SIGNING_KEY_LENGTH} bytes, so it is not read (an RSA private key ` +
        'is a few KB). Point it at the file that holds the private key from hotglue.',
    );
  }
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'is not readable by this process (check its owner and mode)'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === KEY_FILE_NOT_REGULAR
            ? 'is not a regular file (a FIFO, socket or device), so it is not opened'
            : `could not be read (${code})`;
  // The path is not echoed: operators do paste secrets (the key, an API key) into the file setting.
  const inline = variableOf(setting).replace(/_FILE$/, '');
  const hint =
    value !== undefined && looksLikeKey(value)
      ? ` It must hold a path, but its value looks like the key itself: set ${inline} instead.`
      : code === 'ENOENT'
        ? ' The file is missing: it was moved or deleted, or it was a temporary key file of `npx hotglue-emulator`, ' +
          'which removes it when it stops. Point this setting at the key file again; for emulator keys that ' +
          'survive restarts, start it with `--write-env .env` or `EMULATOR_KEY_DIR=<dir>`.'
        : '';
  return new HotglueSigningKeyError('file-unreadable', setting, `the file it names ${why}.${hint}`);
}

/**
 * Whether a file setting's value is a key rather than a path: PEM armour, or a long run of base64 (hotglue
 * shows keys as ~2,300 base64 characters, and a pasted fragment is still long; a path is shorter or has
 * characters such as `.`, `-` or `_` that base64 lacks).
 */
function looksLikeKey(value: string): boolean {
  return value.includes('-----BEGIN') || (value.length >= 64 && /^[A-Za-z0-9+/=\r\n]+$/.test(value));
}

function readKeyFile(path: string, setting: string): Buffer {
  try {
    // Bounded and non-blocking: a FIFO, a device or a huge file is refused before it is read.
    return readKeyFileSync(path);
  } catch (error) {
    const code = error instanceof KeyFileReadFailure ? error.code : (error as NodeJS.ErrnoException).code;
    throw keyFileReadError(code ?? 'unknown error', setting, path);
  }
}
