import { HotglueError, type HotglueErrorCode } from '../hotglue.errors.js';

/**
 * Why a provider call failed:
 * - `unknown-provider`: no registry entry for the tap / connector id (nothing was read or sent);
 * - `refused-url`: the path, the absolute URL or the base URL from the tenant's credentials points outside
 *   the provider's allowed origins (nothing was sent);
 * - `reconnect`: the provider refused the tenant's token twice, once after fresh credentials were fetched,
 *   or hotglue reports the grant revoked: the tenant must reconnect the source in hotglue's widget;
 * - `timeout`: the attempt or the call's time budget ran out;
 * - `aborted`: the caller's `signal` fired;
 * - `too-large`: the answer exceeded the response size cap;
 * - `retry-after-too-long`: the provider asked to wait longer than the configured maximum;
 * - `network`: no answer arrived (reset, refused connection, DNS) and no retry was left or allowed;
 * - `bad-request`: the call itself is malformed (method, headers, body).
 */
export type HotglueProviderErrorReason =
  | 'unknown-provider'
  | 'refused-url'
  | 'reconnect'
  | 'timeout'
  | 'aborted'
  | 'too-large'
  | 'retry-after-too-long'
  | 'network'
  | 'bad-request';

/** What a provider error is about; never the token, never a secret-looking query value. */
export interface HotglueProviderErrorDetails {
  readonly provider: string;
  readonly tenantId: string;
  readonly method?: string;
  /** Origin and path, with query values of secret-looking names replaced by `[REDACTED]`. */
  readonly url?: string;
  /** Last HTTP status seen, when one arrived. */
  readonly status?: number;
  /** Attempts sent (0 when the call was refused before sending). */
  readonly attempts?: number;
  /** A short, escaped excerpt of the provider's last answer (at most 200 characters). */
  readonly excerpt?: string;
}

/**
 * A call made through `HotglueClient.provider(...)` failed. Branch on `reason` (also in `code`, upper-cased
 * with a `HOTGLUE_PROVIDER_` prefix). Any HTTP status the provider answers is a response, not this error,
 * except a 401 that survives fresh credentials (`reconnect`). The message, the fields and `cause` never
 * carry the tenant's token; URL query values whose names look secret are redacted.
 */
export class HotglueProviderError extends HotglueError {
  /** `HOTGLUE_PROVIDER_` and `reason` upper-cased, `-` as `_` (e.g. `HOTGLUE_PROVIDER_RECONNECT`). */
  readonly code: Extract<HotglueErrorCode, `HOTGLUE_PROVIDER_${string}`>;
  readonly provider: string;
  readonly tenantId: string;
  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  readonly attempts: number;
  readonly excerpt?: string;

  constructor(
    readonly reason: HotglueProviderErrorReason,
    message: string,
    details: HotglueProviderErrorDetails,
    options?: { cause?: unknown },
  ) {
    const where = [
      `provider ${JSON.stringify(details.provider)}`,
      `tenant ${JSON.stringify(details.tenantId)}`,
      ...(details.method && details.url ? [`${details.method} ${details.url}`] : []),
      ...(details.status === undefined ? [] : [`status ${details.status}`]),
    ].join(', ');
    super(`${message} (${where})${details.excerpt ? `: ${details.excerpt}` : ''}`, options);
    this.code = `HOTGLUE_PROVIDER_${reason.toUpperCase().replace(/-/g, '_')}` as HotglueProviderError['code'];
    this.provider = details.provider;
    this.tenantId = details.tenantId;
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.attempts = details.attempts ?? 0;
    this.excerpt = details.excerpt;
  }
}
