const REDACTED = '[REDACTED]';
/** Anything shaped like a compact JWS (three base64url parts, header starting `eyJ`). */
const JWT_PATTERN = /eyJ[\w-]*\.[\w-]+\.[\w-]+/g;
const TOKEN_QUERY_PATTERN = /([?&]token=)[^&#\s"']*/gi;
const API_KEY_HEADER_PATTERN = /(x-api-key["']?\s*[:=,]\s*["']?)[^\s"',}]+/gi;

/**
 * Removes secrets from text: the exact secrets it was given (API keys, tokens of this call), anything that
 * looks like a JWT, `token=` query values and `x-api-key` header values.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: ReadonlyArray<string | undefined>) {
    // Longest first, so a secret that contains another is removed whole.
    this.secrets = secrets
      .filter((s): s is string => !!s && s.length >= 4)
      .sort((a, b) => b.length - a.length);
  }

  /** A copy of `text` with every secret replaced by `[REDACTED]`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.replaceAll(secret, REDACTED);
    return out
      .replace(JWT_PATTERN, REDACTED)
      .replace(TOKEN_QUERY_PATTERN, `$1${REDACTED}`)
      .replace(API_KEY_HEADER_PATTERN, `$1${REDACTED}`);
  }

  /**
   * A sanitized stand-in for an error from below (undici, node:net) to use as `cause`: same `name`, `code`
   * and redacted `message`, a `cause` chain sanitized the same way (depth 3), and nothing else. undici's
   * errors can hold the request (URL with `token`, headers with `x-api-key`), so the original is never kept.
   */
  sanitizeError(error: unknown, depth = 0): Error | undefined {
    if (error === undefined || error === null || depth > 3) return undefined;
    const source = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    const message = typeof source.message === 'string' ? source.message : String(error);
    const cause = this.sanitizeError(source.cause, depth + 1);
    const copy = new Error(this.redact(message), cause ? { cause } : undefined);
    copy.name = typeof source.name === 'string' ? source.name : 'Error';
    if (typeof source.code === 'string') (copy as Error & { code: string }).code = source.code;
    copy.stack = `${copy.name}: ${copy.message}`;
    return copy;
  }
}
