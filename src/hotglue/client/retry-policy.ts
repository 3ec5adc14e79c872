/** Methods retried without the caller asking: idempotent by RFC 9110. PATCH and POST are not. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Socket-level failures worth another attempt on an idempotent request. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Whether a failed attempt may be sent again: GET, PUT and DELETE always; POST and PATCH only when the
 * caller passed `retry: true`; never when the caller passed `retry: false`.
 */
export function mayRetryMethod(method: string, optIn: boolean | undefined): boolean {
  if (optIn !== undefined) return optIn;
  return IDEMPOTENT_METHODS.has(method);
}

/**
 * 408, 423, 429 and every 5xx. 423 (Locked) is in because hotglue's own Python SDK retries it beside 429 and
 * 5xx (`status_code in [429, 423] or 500 <= status_code <= 599`): hotglue answers it
 * while a tenant's resource is busy, which passes like a rate limit.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 423 || status === 429 || (status >= 500 && status <= 599);
}

/** Whether a socket error code is a transient connection failure (reset, refused, closed, timed out). */
export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/**
 * `Retry-After` in milliseconds from `now`: delta-seconds (`120`) or an HTTP-date (a date in the past gives 0).
 * Anything else (absent, negative, garbage) gives `undefined`, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date always names a weekday and GMT; Date.parse alone would accept "1" or "2024".
  if (!/^[A-Za-z]{3},? .*GMT$/.test(value) && !/^[A-Za-z]{6,9}, .*GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Full-jitter exponential backoff (AWS): the n-th wait is random in `[0, min(cap, base * 2^(n-1)))`, whole
 * milliseconds. The wait is never derived from a response, so a server cannot stretch it.
 */
export class JitteredBackoff {
  private attempts = 0;

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
  ) {}

  /** The next wait, ms. */
  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** this.attempts);
    this.attempts++;
    return Math.floor(Math.random() * ceiling);
  }
}
