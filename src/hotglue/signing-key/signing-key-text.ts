import { HotglueSigningKeyError } from '../hotglue.errors.js';

const PEM_BEGIN = '-----BEGIN ';
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

/** Literal `\n` escapes become line breaks, CRLF becomes LF, and surrounding whitespace goes. */
function normalizePem(pem: string): string {
  return `${pem
    .replace(/\\r\\n|\\n|\\r/g, '\n')
    .replace(/\r\n?/g, '\n')
    .trim()}\n`;
}
