import { escapeControlCharacters } from '../internal/escape-control-characters.js';

const REDACTED = '[REDACTED]';
/** Anything shaped like a compact JWS (three base64url parts, header starting `eyJ`). */
const JWT_PATTERN = /eyJ[\w-]*\.[\w-]+\.[\w-]+/g;
/** A JWS whose `eyJ` was cut off, or any three long base64url runs joined by dots. */
const JWS_LIKE_PATTERN = /[\w-]{16,}\.[\w-]{16,}\.[\w-]{16,}/g;
/** Fragments shorter than this are not treated as secrets on their own (too likely in ordinary text). */
const MIN_FRAGMENT_LENGTH = 16;
const TOKEN_QUERY_PATTERN = /([?&]token=)[^&#\s"']*/gi;
const API_KEY_HEADER_PATTERN = /(x-api-key["']?\s*[:=,]\s*["']?)[^\s"',}]+/gi;
/** `Bearer <value>` (any scheme-cased spelling): the value is a credential whatever its shape. */
const BEARER_PATTERN = /(\bbearer\s+)[^\s"',;]+/gi;
/**
 * Any run of 24 or more token characters. Upstream text only (hotglue's `Message`): an OAuth token that
 * hotglue echoes from a tenant's provider (`at-…`, opaque, not a JWS) is one, and ordinary prose has none.
 */
const LONG_TOKEN_RUN_PATTERN = /[A-Za-z0-9._~+/=-]{24,}/g;

/**
 * The forms in which a secret can come back inside someone else's text: as it is, base64 or base64url
 * encoded (an upstream that echoes a Basic header or an encoded value), and, for a JWT, each of its parts
 * long enough to be unique (a token echoed without its header, or cut).
 */
function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, '')];
  forms.push(bytes.toString('base64url'));
  const parts = secret.split('.');
  if (parts.length === 3) forms.push(...parts.filter((part) => part.length >= MIN_FRAGMENT_LENGTH));
  return forms;
}

/**
 * Removes secrets from text: the exact secrets it was given (API keys, tokens of this call) in each form
 * `secretForms` lists, anything that looks like a JWT (with or without its `eyJ` header), `token=` query
 * values and `x-api-key` header values.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: ReadonlyArray<string | undefined>) {
    // Longest first, so a secret that contains another is removed whole.
    this.secrets = [
      ...new Set(secrets.filter((s): s is string => !!s && s.length >= 4).flatMap(secretForms)),
    ].sort((a, b) => b.length - a.length);
  }

  /** A copy of `text` with every secret replaced by `[REDACTED]`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.replaceAll(secret, REDACTED);
    return out
      .replace(JWT_PATTERN, REDACTED)
      .replace(JWS_LIKE_PATTERN, REDACTED)
      .replace(TOKEN_QUERY_PATTERN, `$1${REDACTED}`)
      .replace(API_KEY_HEADER_PATTERN, `$1${REDACTED}`);
  }

  /**
   * `redact`, plus what only text from outside needs: `Bearer <value>` and any run of 24 or more
   * token characters `[A-Za-z0-9._~+/=-]`. hotglue's `Message` can carry a tenant's own OAuth token, which no
   * configured secret or JWS shape catches. Not used on our own URLs and messages, whose ids may be that long.
   */
  redactUpstream(text: string): string {
    return this.redact(text)
      .replace(BEARER_PATTERN, `$1${REDACTED}`)
      .replace(LONG_TOKEN_RUN_PATTERN, REDACTED);
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
    const copy = new Error(escapeControlCharacters(this.redact(message)), cause ? { cause } : undefined);
    copy.name = typeof source.name === 'string' ? source.name : 'Error';
    if (typeof source.code === 'string') (copy as Error & { code: string }).code = source.code;
    copy.stack = `${copy.name}: ${copy.message}`;
    return copy;
  }
}
