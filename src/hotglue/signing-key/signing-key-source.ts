import { readFileSync } from 'node:fs';
import { HotglueSigningKeyError } from '../hotglue.errors.js';
import { type HotglueSigningKey, parseSigningKey } from './signing-key.js';

/** Where a signing key may come from: inline, or a file (mounted secrets). Exactly one must be set. */
export interface SigningKeySource {
  /** The key inline, in any accepted form. */
  readonly signingKey?: string | Buffer;
  /** Path of a file holding the key in any accepted form. */
  readonly signingKeyFile?: string;
}

/** How the two settings are named in messages: option name plus the environment variable behind it. */
export const SIGNING_KEY_SETTING = 'signingKey (HOTGLUE_SIGNING_KEY)';
export const SIGNING_KEY_FILE_SETTING = 'signingKeyFile (HOTGLUE_SIGNING_KEY_FILE)';

/**
 * Reads the key from its one source and parses it. Synchronous on purpose: it runs once at bootstrap,
 * where failing fast with a precise message beats any latency concern.
 */
export function loadSigningKey(source: SigningKeySource): HotglueSigningKey {
  const hasInline = source.signingKey !== undefined;
  const hasFile = source.signingKeyFile !== undefined;
  if (hasInline && hasFile) {
    throw new HotglueSigningKeyError(
      'both-set',
      `${SIGNING_KEY_SETTING} / ${SIGNING_KEY_FILE_SETTING}`,
      'both are set; set exactly one so it is clear which key signs.',
    );
  }
  if (hasFile) return parseSigningKey(readKeyFile(source.signingKeyFile!), SIGNING_KEY_FILE_SETTING);
  if (hasInline) return parseSigningKey(source.signingKey!, SIGNING_KEY_SETTING);
  throw new HotglueSigningKeyError(
    'missing',
    SIGNING_KEY_SETTING,
    'no signing key is configured. Set HOTGLUE_SIGNING_KEY to the base64 key hotglue shows, ' +
      'or HOTGLUE_SIGNING_KEY_FILE to a file that holds it.',
  );
}

function readKeyFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'is not readable by this process (check its owner and mode)'
          : code === 'EISDIR'
            ? 'is a directory, not a file'
            : `could not be read (${code})`;
    // The path is not echoed: operators do paste secrets (the key, an API key) into the file setting.
    throw new HotglueSigningKeyError(
      'file-unreadable',
      SIGNING_KEY_FILE_SETTING,
      `the file it names ${why}. It must hold a path; if it holds the key itself, set HOTGLUE_SIGNING_KEY instead.`,
    );
  }
}
