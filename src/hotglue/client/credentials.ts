import { type InspectOptions, inspect } from 'node:util';

/**
 * A tenant's OAuth credentials for one linked source or connector, as `HotglueClient.getSourceCredentials` /
 * `getConnectorCredentials` return them. Frozen. They are the most sensitive thing this library touches:
 * use them server-side to call the provider, never send them to a browser, never log them.
 *
 * To make a mistake less costly, `accessToken` and `refreshToken` are non-enumerable (a spread, `Object.keys`
 * or `JSON.stringify` does not carry them) and `util.inspect` / `console.log` / `JSON.stringify` print the
 * record with both redacted. Read them explicitly: `credentials.accessToken`.
 */
export interface HotglueCredentials {
  /** The provider's OAuth access token (`config.access_token`). */
  readonly accessToken: string;
  /** The provider's OAuth refresh token, when hotglue returned one. */
  readonly refreshToken?: string;
  /**
   * When the access token expires: the config's `expires_at` / `token_expiry` when present, else its
   * `expires_in`: an epoch (seconds or milliseconds, any time from 2001 on) as that absolute time, as
   * hotglue's SDK stores it in tap configs; a smaller number as seconds counted from the moment the fetch
   * started. Absent when hotglue gave no expiry.
   */
  readonly expiresAt?: Date;
  /**
   * The config's non-secret fields: allow-listed names (`DEFAULT_CREDENTIAL_PROPERTIES`, the module option
   * `credentialsProperties`, or only the names the caller passed in `properties`) that do not look secret
   * (`isSecretLookingName`), with string, number or boolean values, strings stripped of credentials (a URL
   * loses its user and password). E.g. `instance_url`, `client_id`. See docs/credentials.md.
   */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
}

const REDACTED = '[REDACTED]';

/** The printable form: every field but the two tokens, which show as `[REDACTED]` when present. */
function redactedView(credentials: HotglueCredentials): Record<string, unknown> {
  const view: Record<string, unknown> = { accessToken: REDACTED };
  if (credentials.refreshToken !== undefined) view.refreshToken = REDACTED;
  if (credentials.expiresAt !== undefined) view.expiresAt = credentials.expiresAt;
  view.properties = credentials.properties;
  return view;
}

function inspectRedacted(this: HotglueCredentials, _depth: number, options: InspectOptions): string {
  return `HotglueCredentials ${inspect(redactedView(this), options)}`;
}

function toJsonRedacted(this: HotglueCredentials): Record<string, unknown> {
  return redactedView(this);
}

/** Builds the frozen, redacting `HotglueCredentials` record. */
export function credentialsRecord(fields: {
  accessToken: string;
  refreshToken?: string;
  expiresAt?: Date;
  properties: Record<string, string | number | boolean>;
}): HotglueCredentials {
  const record = {};
  Object.defineProperty(record, 'accessToken', { value: fields.accessToken, enumerable: false });
  if (fields.refreshToken !== undefined) {
    Object.defineProperty(record, 'refreshToken', { value: fields.refreshToken, enumerable: false });
  }
  if (fields.expiresAt !== undefined) {
    // A getter handing out a copy: the record is cached and shared, and a Date is mutable (`setTime`), so
    // one caller must not be able to move the expiry every other caller sees.
    const ms = fields.expiresAt.getTime();
    Object.defineProperty(record, 'expiresAt', { get: () => new Date(ms), enumerable: true });
  }
  Object.defineProperty(record, 'properties', {
    value: Object.freeze({ ...fields.properties }),
    enumerable: true,
  });
  Object.defineProperty(record, inspect.custom, { value: inspectRedacted, enumerable: false });
  Object.defineProperty(record, 'toJSON', { value: toJsonRedacted, enumerable: false });
  return Object.freeze(record) as HotglueCredentials;
}
