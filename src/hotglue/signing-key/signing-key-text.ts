import { HotglueSigningKeyError } from '../hotglue.errors.js';

const PEM_BEGIN = '-----BEGIN ';

/**
 * The longest key text accepted, in bytes (a Buffer) or UTF-16 code units (a string), checked before any
 * parsing or regex. The largest RSA key anyone signs with (16384 bits) is about 17 KB as base64 of its PEM;
 * 64 KiB leaves room for wrapping, `\n` escapes and whitespace. Anything longer is not a key: a wrong file,
 * or a hostile one. Without the cap, a key text of about 5 MB overflows V8's regex stack in the base64 check
 * (`RangeError`, an uncaught stack at boot instead of the problem list), and every key-file poll would hash
 * and parse whatever size the file has.
 */
export const MAX_SIGNING_KEY_LENGTH = 64 * 1024;
/** Standard base64 (RFC 4648 §4) with correct padding; whitespace is stripped before the check. */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Turns a signing key as a person would paste it into PEM text.
 *
 * Accepted forms, in the order they are tried:
 * - hotglue's form: base64 of a PEM (line breaks inside the base64 are allowed);
 * - a raw PEM;
 * - a PEM whose line breaks are literal `\n` (or `\r\n`) escapes, as `.env` files and CI secret stores
 *   often hold them;
 * - any of these with CRLF line endings and surrounding whitespace.
 *
 * Pure: string or Buffer in, PEM text out, or a `HotglueSigningKeyError` that never echoes the input.
 */
export function toPemText(input: string | Buffer, setting: string): string {
  if (input.length > MAX_SIGNING_KEY_LENGTH) {
    throw signingKeyTooLarge(input.length, setting, typeof input === 'string' ? 'characters' : 'bytes');
  }
  const text = (typeof input === 'string' ? input : input.toString('utf8')).trim();
  if (text.length === 0) {
    throw new HotglueSigningKeyError(
      'empty',
      setting,
      'the signing key is empty. Paste the private key from hotglue (Settings > API Keys > Generate private key).',
    );
  }
  if (text.includes(PEM_BEGIN)) return normalizePem(text);

  const compact = text.replace(/\s+/g, '');
  if (!STRICT_BASE64.test(compact)) {
    throw new HotglueSigningKeyError(
      'not-base64-or-pem',
      setting,
      'the signing key is neither a PEM nor strict base64 of a PEM. Use the value exactly as hotglue shows it ' +
        '(base64), or the PEM itself (a PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY" block).',
    );
  }
  const decoded = Buffer.from(compact, 'base64').toString('utf8').trim();
  if (!decoded.includes(PEM_BEGIN)) {
    throw new HotglueSigningKeyError(
      'not-base64-or-pem',
      setting,
      'the signing key is valid base64 but does not decode to a PEM. Use the value exactly as hotglue shows it.',
    );
  }
  return normalizePem(decoded);
}

/** The error for a key text longer than `MAX_SIGNING_KEY_LENGTH`; states the size, not the value. */
function signingKeyTooLarge(
  size: number,
  setting: string,
  unit: 'bytes' | 'characters' = 'bytes',
): HotglueSigningKeyError {
  return new HotglueSigningKeyError(
    'too-large',
    setting,
    `the signing key is ${size} ${unit} long; at most ${MAX_SIGNING_KEY_LENGTH} are accepted (an RSA private key ` +
      'is a few KB). It holds something other than the key: paste the private key from hotglue.',
  );
}

/** Literal `\n` escapes become line breaks, CRLF becomes LF, and surrounding whitespace goes. */
function normalizePem(pem: string): string {
  return `${pem
    .replace(/\\r\\n|\\n|\\r/g, '\n')
    .replace(/\r\n?/g, '\n')
    .trim()}\n`;
}
