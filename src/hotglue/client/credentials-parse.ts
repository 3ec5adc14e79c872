import { isSecretLookingName } from '../shared/secret-names.js';
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
/** A bearer credential or a JWT (three base64url parts), whatever the field is called. */
const BEARER_OR_JWT = /^\s*bearer\s+\S|^[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*$/i;

/**
 * A property's string value with any credential taken out, or `undefined` to drop the property.
 * - A URL with a host (`https://`, `postgres://`, `mongodb+srv://`...) loses its user and password, and
 *   query parameters whose names look secret (`password`, `sig`, `access_token`...). It is rewritten only
 *   when something was taken out, so a clean URL stays exactly as hotglue sent it.
 * - A `://` value the URL parser refuses, or that has no host (`jdbc:postgresql://user:pw@db/x` parses as
 *   an opaque path), is dropped if it holds an `@`: where its user part ends cannot be told, and guessing
 *   could leave a password or make it point at another host.
 * - Any value still holding a secret-looking `name=` pair (`Server=db;Password=...`, `?password=` in an
 *   opaque URL), a bearer credential or a JWT is dropped.
 */
export function stripCredentials(value: string): string | undefined {
  let result = value;
  if (value.includes('://')) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || url.host === '') {
      if (value.includes('@')) return undefined;
    } else {
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
  for (const [, name] of result.matchAll(ASSIGNMENT)) {
    if (isSecretLookingName(name!.trim())) return undefined;
  }
  return BEARER_OR_JWT.test(result) ? undefined : result;
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
  const expiresIn = seconds(fields.expires_in);
  const expiresMs =
    parseExpiry(fields.expires_at) ??
    parseExpiry(fields.token_expiry) ??
    (expiresIn === undefined ? undefined : fetchedAt + expiresIn * 1000);
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
