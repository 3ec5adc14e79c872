import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header hotglue signs deliveries with (see docs/hotglue-reference.md). */
export const HOTGLUE_SIGNATURE_HEADER = 'x-hub-signature';

/** An HMAC-SHA1 digest: 20 bytes, 40 hex digits. */
const DIGEST_BYTES = 20;
/** The optional prefix (GitHub's form, which some proxies and relays add). */
const PREFIX = 'sha1=';
/**
 * Reused for every decode: the check is synchronous, so one buffer serves every call, and the hot path
 * allocates nothing but the HMAC itself (measured: a regex plus `Buffer.from(hex)` cost ~10% of the HMAC).
 */
const given = Buffer.alloc(DIGEST_BYTES);

/** `X-Hub-Signature` for `body`: lower-case hex HMAC-SHA1 with the webhook secret, no prefix. */
export function signHotglueWebhook(secret: string | Buffer, body: Buffer | string): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}

/**
 * True when `header` is the HMAC-SHA1 of exactly these bytes with `secret`. Pure and constant-time in the
 * digest: the header is decoded first (a malformed header is false without hashing), then both 20-byte
 * digests are compared with `timingSafeEqual`. Verifying the raw bytes, never a re-serialised parse, is the
 * point: hotglue's own sample re-serialises and breaks on any whitespace or key-order difference.
 */
export function verifyHotglueSignature(
  secret: string | Buffer,
  body: Buffer,
  header: string | readonly string[] | undefined,
): boolean {
  // A repeated header is ambiguous; refuse it rather than pick one.
  if (typeof header !== 'string') return false;
  let hex = header.length === 2 * DIGEST_BYTES ? header : header.trim();
  if (
    hex.length === PREFIX.length + 2 * DIGEST_BYTES &&
    hex.slice(0, PREFIX.length).toLowerCase() === PREFIX
  ) {
    hex = hex.slice(PREFIX.length);
  }
  // `write` stops at the first non-hex digit, so fewer than 20 bytes written means a malformed header.
  if (hex.length !== 2 * DIGEST_BYTES || given.write(hex, 'hex') !== DIGEST_BYTES) return false;
  const expected = createHmac('sha1', secret).update(body).digest();
  return timingSafeEqual(given, expected);
}
