import { credentialsRecord, type HotglueCredentials } from './credentials.js';

/**
 * Config fields that describe the token itself: read into `HotglueCredentials`' own fields, never copied
 * into `properties`. `success` is the `accesstoken` route's envelope flag.
 */
const TOKEN_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'expires_at',
  'expires_in',
  'token_expiry',
  'success',
]);

/**
 * Names that look like they hold a secret. Matching is deliberately broad (`key` also drops `api_key_id`):
 * a property wrongly withheld costs the caller one explicit read of hotglue's raw config, a secret wrongly
 * copied into `properties` would travel wherever the caller forwards "the non-secret part".
 */
const SECRET_NAME =
  /token|secret|passw|pwd|private|key|credential|session|cookie|signature|verifier|assertion|^code$/i;

/** Whether a config field name looks secret; such fields never reach `properties`. */
export function isSecretLookingName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** An ISO 8601 date without a zone designator, as Python's `isoformat()` writes a naive UTC datetime. */
const NAIVE_ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * An absolute expiry from `expires_at` / `token_expiry`: an ISO 8601 string (a zone-less one is read as UTC,
 * the way Singer taps store `token_expiry`), or epoch seconds / milliseconds as a number or numeric string.
 * Undefined when the value is absent or unreadable.
 */
export function parseExpiry(value: unknown): number | undefined {
  if (typeof value === 'number') return epochMs(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return epochMs(Number(text));
  const iso = NAIVE_ISO.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  // JavaScript's Date keeps milliseconds only; Python writes microseconds, which Date.parse may refuse.
  const ms = Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? ms : undefined;
}

/** Epoch seconds or milliseconds (values below 1e11, i.e. before 1973 in ms, are taken as seconds). */
function epochMs(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return value < 1e11 ? value * 1000 : value;
}

/** `expires_in` as seconds: a non-negative finite number or numeric string. */
function seconds(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Reads credentials out of a linked entity's `config` (or an `accesstoken` answer, which has the same field
 * names). Returns undefined when there is no usable access token (the caller reports `no-token`).
 *
 * @param fetchedAt epoch ms when the fetch started: `expires_in` counts from there, so the expiry errs early.
 * @param pick when given, `properties` holds only these names (still never a secret-looking one).
 */
export function credentialsFromConfig(
  config: unknown,
  fetchedAt: number,
  pick?: readonly string[],
): HotglueCredentials | undefined {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const fields = config as Record<string, unknown>;
  const accessToken = fields.access_token;
  if (typeof accessToken !== 'string' || accessToken.trim() === '') return undefined;
  const refreshToken =
    typeof fields.refresh_token === 'string' && fields.refresh_token !== ''
      ? fields.refresh_token
      : undefined;
  const expiresIn = seconds(fields.expires_in);
  const expiresMs =
    parseExpiry(fields.expires_at) ??
    parseExpiry(fields.token_expiry) ??
    (expiresIn === undefined ? undefined : fetchedAt + expiresIn * 1000);
  const wanted = pick ? new Set(pick) : undefined;
  const properties: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (TOKEN_FIELDS.has(name) || isSecretLookingName(name)) continue;
    if (wanted && !wanted.has(name)) continue;
    if (typeof value === 'string' || typeof value === 'boolean') properties[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) properties[name] = value;
  }
  return credentialsRecord({
    accessToken,
    refreshToken,
    expiresAt: expiresMs === undefined ? undefined : new Date(expiresMs),
    properties,
  });
}
