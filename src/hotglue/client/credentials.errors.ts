import { HotglueError } from '../hotglue.errors.js';
import { HotglueApiError } from './client.errors.js';

/**
 * Why a tenant's credentials could not be handed out:
 * - `not-linked`: the tenant has no such linked source / connector in that flow;
 * - `no-token`: it is linked, but its config holds no OAuth access token (not an OAuth connection, or the
 *   link is not finished);
 * - `revoked`: hotglue answered `Failed OAuth login` or `invalid_grant`: the provider no longer accepts the
 *   tenant's grant, and only the tenant can fix it by reconnecting.
 */
export type HotglueCredentialsFailure = 'not-linked' | 'no-token' | 'revoked';

/** Which call the credentials were asked through. */
export type HotglueCredentialsKind = 'source' | 'connector';

/** What identifies the credentials a call asked for. */
export interface HotglueCredentialsTarget {
  readonly kind: HotglueCredentialsKind;
  readonly tenantId: string;
  readonly flowId: string;
  /** The tap (sources) or connector id (connectors). */
  readonly entity: string;
}

/**
 * `getSourceCredentials` / `getConnectorCredentials` could not produce credentials. Branch on `reason`;
 * the message says what to do and never contains a credential (nor does `cause`, a `HotglueApiError`
 * whose text the transport has already redacted). Failures are never cached: the next call asks again.
 */
export class HotglueCredentialsError extends HotglueError {
  readonly code = 'HOTGLUE_CREDENTIALS_UNAVAILABLE';
  readonly kind: HotglueCredentialsKind;
  readonly tenantId: string;
  readonly flowId: string;
  readonly entity: string;

  constructor(
    readonly reason: HotglueCredentialsFailure,
    target: HotglueCredentialsTarget,
    options?: { cause?: unknown },
  ) {
    super(describe(reason, target), options);
    this.kind = target.kind;
    this.tenantId = target.tenantId;
    this.flowId = target.flowId;
    this.entity = target.entity;
  }
}

function describe(reason: HotglueCredentialsFailure, target: HotglueCredentialsTarget): string {
  // JSON.stringify quotes and escapes: the entity name comes from the caller (often a URL segment), and the
  // tenant id has passed the tenant grammar, so neither can break a log line.
  const what = `${target.kind === 'source' ? 'linked source' : 'linked connector'} ${JSON.stringify(
    target.entity,
  )} of tenant ${JSON.stringify(target.tenantId)} in flow ${JSON.stringify(target.flowId)}`;
  switch (reason) {
    case 'not-linked':
      return `No ${what}: the tenant must link it first (hotglue's widget, or linkSource / linkConnector).`;
    case 'no-token':
      return `The ${what} holds no OAuth access token (config.access_token): it is not an OAuth connection, or linking has not finished.`;
    case 'revoked':
      return `hotglue refused the OAuth credentials of the ${what} (Failed OAuth login / invalid_grant): the grant was revoked or expired, and the tenant must reconnect it in hotglue's widget.`;
  }
}

/** hotglue's text for a refused OAuth grant (from hotglue's own SDK; see docs/hotglue-reference.md). */
const REVOKED_TEXT = /failed oauth login|invalid_grant/i;

/**
 * The typed failure for an error of the underlying hotglue call, or undefined when it is not one of ours
 * (the caller rethrows it as it is: a timeout stays a `HotglueTimeoutError`, a 401 a `HotglueApiError`).
 */
export function credentialsFailureOf(error: unknown): HotglueCredentialsFailure | undefined {
  if (!(error instanceof HotglueApiError)) return undefined;
  if (REVOKED_TEXT.test(`${error.hotglueCode ?? ''} ${error.hotglueMessage ?? ''}`)) return 'revoked';
  if (error.status === 404) return 'not-linked';
  return undefined;
}
