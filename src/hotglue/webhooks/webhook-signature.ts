import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header hotglue signs deliveries with (hotglue-api.md §6). */
export const HOTGLUE_SIGNATURE_HEADER = 'x-hub-signature';

/** 40 hex digits, any case, optionally after `sha1=` (GitHub's form, which some proxies add). */
const SIGNATURE_PATTERN = /^(?:sha1=)?([0-9a-f]{40})$/i;

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
  const match = SIGNATURE_PATTERN.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha1', secret).update(body).digest();
  return timingSafeEqual(given, expected);
}
