import { isSecretLookingName } from '../internal/secret-names.js';
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
 * Config field names that reach `properties` with no setting: what providers and taps store beside the
 * token to say *where* and *which* account (Salesforce's `instance_url`, QuickBooks' `realmId`, Shopify's
 * `shop`, HubSpot's `portal_id`...). Nothing else does unless the host names it (`credentialsProperties`, or
 * a call's `properties`). Safe by default: a provider adds fields of its own making, and an unknown one is
 * a secret as often as not (`pat`, `dsn`, `hmac`...); withholding one costs the host one setting.
 */
export const DEFAULT_CREDENTIAL_PROPERTIES: readonly string[] = Object.freeze([
  'instance_url',
  'api_url',
  'base_url',
  'api_domain',
  'domain',
  'subdomain',
  'site',
  'shop',
  'region',
  'environment',
  'sandbox',
  'is_sandbox',
  'client_id',
  'account_id',
  'company_id',
  'organization_id',
  'org_id',
  'realm_id',
  'realmId',
  'portal_id',
  'hub_id',
  'user_id',
  'scope',
  'start_date',
]);

/**
 * `name=` pairs in a value (query strings, `Server=...;Password=...` connection strings). The name is
 * bounded so a long value without `=` costs linear time.
 */
const ASSIGNMENT = /([A-Za-z][A-Za-z0-9 _.-]{0,63}?)\s*=/g;
/**
 * `name:` pairs (`Authorization: Bearer ...`, YAML `password: x`, JSON `"password": "x"`). The name may be
 * quoted; it starts at a word boundary and is bounded, so the scan stays linear.
 */
const COLON_PAIR = /(?<![A-Za-z0-9_.-])["']?([A-Za-z][A-Za-z0-9_.-]{0,63})["']?\s*:/g;
/** A bearer or other HTTP credential scheme followed by its credentials, anywhere in the value. */
const AUTH_SCHEME = /(?<![A-Za-z0-9])(?:bearer|token|digest|negotiate|hoba|mutual|aws4-hmac-sha256)\s+\S/i;
/** `Basic <base64>`: dropped when the base64 decodes to `user:password`. */
const BASIC = /(?<![A-Za-z0-9])basic\s+([A-Za-z0-9+/_-]{4,}={0,2})/gi;
/**
 * A JWS (3 parts) or JWE (5 parts) anywhere: its first part is base64url JSON, which starts with `e` and one
 * of `w`-`z` (`{`). The lookbehind makes a match start only at a token's first character, so the scan is
 * linear.
 */
const JOSE = /(?<![A-Za-z0-9_-])e[w-z][A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/;
/** A whole value made of three base64url-looking parts, whatever its header (the older, anchored rule). */
const THREE_PARTS = /^[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*$/;
/**
 * Where a URL may start: a scheme (`https:`, `ftp:`, `postgres:`...) or two slashes or backslashes (a
 * scheme-relative URL). The lookbehind keeps a scheme from starting inside a word.
 */
const URL_START = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:|[\\/]{2}/g;
/** A candidate URL ends where a URL cannot go on: whitespace, quotes, angle brackets. */
const URL_END = /[\s"'<>`]/;
/** WHATWG's URL parser removes ASCII tabs and newlines anywhere in its input before parsing. */
const TAB_OR_NEWLINE = /[\t\n\r]/g;
/** Candidate URLs looked at per value (and per decoding of it); beyond that the value is dropped. */
const MAX_URL_CANDIDATES = 64;

/**
 * `value` percent-decoded once, or `undefined` when it holds no escape. Lenient, as a URL parser reading a
 * query is: each run of `%XX` escapes is decoded on its own, and a stray `%` elsewhere stays as it is (a
 * strict `decodeURIComponent` would throw on it and leave the rest unread).
 */
function percentDecoded(value: string): string | undefined {
  if (!value.includes('%')) return undefined;
  const decoded = value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return Buffer.from(run.replace(/%/g, ''), 'hex').toString('latin1');
    }
  });
  return decoded === value ? undefined : decoded;
}

/**
 * Whether `text` holds, anywhere, a URL that carries a user or password as the WHATWG URL parser reads it
 * (`https:u:pw@host`, `https:\\u:pw@host`, a tab inside `://`, `//u:pw@host`, `ftp:u:pw@host`, one inside a
 * query value), or a `://` URL the parser refuses or reads without a host whose text holds an `@`
 * (`jdbc:postgresql://u:pw@db`): where its user part ends cannot be told.
 */
function holdsCredentialedUrl(text: string): boolean {
  const flat = text.replace(TAB_OR_NEWLINE, '');
  let candidates = 0;
  for (const match of flat.matchAll(URL_START)) {
    if (++candidates > MAX_URL_CANDIDATES) return true;
    const rest = flat.slice(match.index);
    const end = rest.search(URL_END);
    const candidate = end === -1 ? rest : rest.slice(0, end);
    if (!candidate.includes('@')) continue;
    const relative = candidate.startsWith('//') || candidate.startsWith('\\\\');
    let url: URL | undefined;
    try {
      url = relative ? new URL(candidate, 'https://base.invalid') : new URL(candidate);
    } catch {
      url = undefined;
    }
    if (url && (url.username !== '' || url.password !== '')) return true;
    if ((!url || url.host === '') && /:[\\/]{2}/.test(candidate)) return true;
  }
  return false;
}

/** Whether `text` holds an HTTP credential, a JWT/JWE, or a secret-looking `name=` / `name:` pair. */
function holdsEmbeddedSecret(text: string): boolean {
  if (AUTH_SCHEME.test(text) || JOSE.test(text) || THREE_PARTS.test(text.trim())) return true;
  for (const [, encoded] of text.matchAll(BASIC)) {
    if (Buffer.from(encoded!, 'base64').toString('latin1').includes(':')) return true;
  }
  for (const [, name] of text.matchAll(ASSIGNMENT)) {
    if (isSecretLookingName(name!.trim())) return true;
  }
  for (const [, name] of text.matchAll(COLON_PAIR)) {
    if (isSecretLookingName(name!)) return true;
  }
  return false;
}

/**
 * A property's string value with any credential taken out, or `undefined` to drop the property.
 * - A value that is one URL with a host (`https://`, `postgres://`, `mongodb+srv://`...) loses its user and
 *   password, and query parameters whose names look secret (`password`, `sig`, `access_token`...). It is
 *   rewritten only when something was taken out, so a clean URL stays exactly as hotglue sent it.
 * - Then the value, as it is and percent-decoded (twice at most), is looked through end to end, the way the
 *   WHATWG URL parser would read any URL in it: one that still carries a user or password anywhere
 *   (`https:u:pw@host`, `//u:pw@host`, `ftp:u:pw@...`, a credentialed URL in a query value), a `://` URL
 *   without a host holding an `@` (`jdbc:postgresql://u:pw@db`), a bearer or other HTTP credential
 *   (`Authorization: Bearer x`), `Basic <base64 user:pw>`, a JWT or JWE wherever it sits (`?state=<JWT>`,
 *   `"token <JWT>"`), or a secret-looking `name=` or `name:` pair (`Server=db;Password=...`, JSON or YAML
 *   with a `password` field) drops the value.
 */
export function stripCredentials(value: string): string | undefined {
  let result = value;
  if (value.includes('://') && !/\s/.test(value)) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url && url.host !== '') {
      let changed = false;
      if (url.username !== '' || url.password !== '') {
        url.username = '';
        url.password = '';
        changed = true;
      }
      for (const name of new Set(url.searchParams.keys())) {
        if (isSecretLookingName(name)) {
          url.searchParams.delete(name);
          changed = true;
        }
      }
      if (changed) result = url.href;
    }
  }
  let text: string | undefined = result;
  for (let round = 0; text !== undefined && round < 3; round++) {
    if (holdsCredentialedUrl(text) || holdsEmbeddedSecret(text)) return undefined;
    text = percentDecoded(text);
  }
  return result;
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

/** 2001-01-01T00:00:00Z in epoch seconds: no token lives this long, every epoch written today is larger. */
export const EXPIRES_IN_EPOCH_FLOOR_SECONDS = 978_307_200;

/**
 * `expires_in` as an absolute epoch ms. OAuth defines it as seconds from the answer (RFC 6749 §5.1), but
 * hotglue's Singer SDK stores `expires_in = int(token_json["expires_in"]) + now` in tap configs and hotglue
 * hands that config back: a value at or after 2001-01-01 as epoch seconds (or epoch milliseconds, when it is
 * 1e11 or more) is that absolute time; a smaller one is seconds counted from `fetchedAt`.
 */
export function expiresInMs(value: unknown, fetchedAt: number): number | undefined {
  const n = seconds(value);
  if (n === undefined) return undefined;
  if (n >= EXPIRES_IN_EPOCH_FLOOR_SECONDS) return epochMs(n);
  return fetchedAt + n * 1000;
}

/**
 * Reads credentials out of a linked entity's `config` (or an `accesstoken` answer, which has the same field
 * names). Returns undefined when there is no usable access token (the caller reports `no-token`).
 *
 * `properties` gets the config's scalar fields whose name is allowed (`DEFAULT_CREDENTIAL_PROPERTIES`, the
 * host's `allowed` names, and `pick`), never a secret-looking one, each string stripped of credentials
 * (`stripCredentials`).
 *
 * @param fetchedAt epoch ms when the fetch started: `expires_in` counts from there, so the expiry errs early.
 * @param pick when given, `properties` holds only these names (allowed by being asked for).
 * @param allowed names the host allows beyond the defaults (`credentialsProperties`).
 */
export function credentialsFromConfig(
  config: unknown,
  fetchedAt: number,
  pick?: readonly string[],
  allowed: readonly string[] = [],
): HotglueCredentials | undefined {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const fields = config as Record<string, unknown>;
  const accessToken = fields.access_token;
  if (typeof accessToken !== 'string' || accessToken.trim() === '') return undefined;
  const refreshToken =
    typeof fields.refresh_token === 'string' && fields.refresh_token !== ''
      ? fields.refresh_token
      : undefined;
  const expiresMs =
    parseExpiry(fields.expires_at) ??
    parseExpiry(fields.token_expiry) ??
    expiresInMs(fields.expires_in, fetchedAt);
  const names = pick ?? [...DEFAULT_CREDENTIAL_PROPERTIES, ...allowed];
  // Null prototype: a field named `__proto__` is a property like any other, never the object's prototype.
  const properties: Record<string, string | number | boolean> = Object.create(null);
  for (const name of new Set(names)) {
    if (TOKEN_FIELDS.has(name) || isSecretLookingName(name) || !Object.hasOwn(fields, name)) continue;
    const value = fields[name];
    if (typeof value === 'string') {
      const kept = stripCredentials(value);
      if (kept !== undefined) properties[name] = kept;
    } else if (typeof value === 'boolean') properties[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) properties[name] = value;
  }
  return credentialsRecord({
    accessToken,
    refreshToken,
    expiresAt: expiresMs === undefined ? undefined : new Date(expiresMs),
    properties,
  });
}
