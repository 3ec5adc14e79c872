import { HotglueError } from '../hotglue.errors.js';
import type { HotglueAuthMode } from './client-hooks.js';

/** Where a failed call went. `path` has the `token` query parameter replaced by `[REDACTED]`. */
export interface HotglueRequestInfo {
  readonly method: string;
  readonly path: string;
  /** Attempts sent, the first included. */
  readonly attempts: number;
}

/**
 * Base of every error a `HotglueClient` call fails with after it started sending. Carries the method, the
 * redacted path and the attempt count; never an API key or a token (nor does any `cause` it holds).
 */
export abstract class HotglueRequestError extends HotglueError {
  readonly method: string;
  readonly path: string;
  readonly attempts: number;

  constructor(info: HotglueRequestInfo, message: string, options?: { cause?: unknown }) {
    super(
      `${message} [${info.method} ${info.path}, ${info.attempts} attempt${info.attempts === 1 ? '' : 's'}]`,
      options,
    );
    this.method = info.method;
    this.path = info.path;
    this.attempts = info.attempts;
  }
}

/**
 * hotglue answered with a status other than 2xx (a 3xx included: redirects are never followed).
 * `hotglueCode` / `hotglueMessage` come from hotglue's `{ Code, Message }` (or `{ code, message }`) body, with a
 * leading `ChaliceViewError:` stripped.
 */
export class HotglueApiError extends HotglueRequestError {
  readonly code = 'HOTGLUE_API_ERROR';
  readonly status: number;
  readonly hotglueCode: string | undefined;
  readonly hotglueMessage: string | undefined;

  constructor(
    info: HotglueRequestInfo & { status: number; hotglueCode?: string; hotglueMessage?: string },
    options?: { cause?: unknown },
  ) {
    const what =
      info.status >= 300 && info.status < 400
        ? `hotglue answered with a redirect (${info.status}); redirects are never followed, check apiUrl (HOTGLUE_API_URL)`
        : `hotglue answered ${info.status}${info.hotglueCode ? ` ${info.hotglueCode}` : ''}${
            info.hotglueMessage ? `: ${info.hotglueMessage}` : ''
          }`;
    super(info, what, options);
    this.status = info.status;
    this.hotglueCode = info.hotglueCode;
    this.hotglueMessage = info.hotglueMessage;
  }
}

/** Which limit ran out: one attempt, the whole call (`http.timeoutMs`), or `waitForJob`'s deadline. */
export type HotglueTimeoutKind = 'attempt' | 'overall' | 'wait';

/** A time limit ran out. Raise `http.attemptTimeoutMs` / `http.timeoutMs` (or `waitForJob`'s `timeoutMs`). */
export class HotglueTimeoutError extends HotglueRequestError {
  readonly code = 'HOTGLUE_TIMEOUT';

  constructor(
    info: HotglueRequestInfo,
    readonly kind: HotglueTimeoutKind,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    const setting =
      kind === 'attempt' ? 'http.attemptTimeoutMs' : kind === 'overall' ? 'http.timeoutMs' : 'timeoutMs';
    super(
      info,
      `hotglue call timed out after ${timeoutMs} ms (${kind}); raise ${setting} if this is expected`,
      options,
    );
  }
}

/** The caller's `AbortSignal` fired; the request and any pending backoff were cancelled. */
export class HotglueAbortError extends HotglueRequestError {
  readonly code = 'HOTGLUE_ABORTED';

  constructor(info: HotglueRequestInfo) {
    super(info, 'hotglue call aborted by the caller');
  }
}

/** The response body exceeded `http.maxResponseBytes`; reading stopped there. */
export class HotglueResponseTooLargeError extends HotglueRequestError {
  readonly code = 'HOTGLUE_RESPONSE_TOO_LARGE';

  constructor(
    info: HotglueRequestInfo,
    readonly limitBytes: number,
  ) {
    super(info, `hotglue response exceeds http.maxResponseBytes (${limitBytes} bytes); raise it if expected`);
  }
}

/** A 2xx response whose body is not valid JSON. */
export class HotglueResponseInvalidError extends HotglueRequestError {
  readonly code = 'HOTGLUE_RESPONSE_INVALID';

  constructor(
    info: HotglueRequestInfo,
    readonly status: number,
  ) {
    super(info, `hotglue answered ${status} with a body that is not valid JSON`);
  }
}

/**
 * hotglue asked to wait (`Retry-After`) longer than `http.maxRetryAfterMs`. The client fails at once instead
 * of silently waiting less; raise the setting or retry later.
 */
export class HotglueRetryAfterTooLongError extends HotglueRequestError {
  readonly code = 'HOTGLUE_RETRY_AFTER_TOO_LONG';

  constructor(
    info: HotglueRequestInfo,
    readonly status: number,
    readonly retryAfterMs: number,
    readonly maxRetryAfterMs: number,
  ) {
    super(
      info,
      `hotglue answered ${status} with Retry-After ${Math.ceil(retryAfterMs / 1000)} s, beyond http.maxRetryAfterMs (${maxRetryAfterMs} ms); retry later or raise the setting`,
    );
  }
}

/** No response: the connection was refused, reset or closed. `cause` is a sanitized copy of the socket error. */
export class HotglueNetworkError extends HotglueRequestError {
  readonly code = 'HOTGLUE_NETWORK_ERROR';

  constructor(
    info: HotglueRequestInfo,
    /** The socket error code, e.g. `ECONNRESET` or `UND_ERR_SOCKET`. */
    readonly networkCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(info, `hotglue connection failed${networkCode ? ` (${networkCode})` : ''}`, options);
  }
}

/** The key the call's auth mode needs is not configured. */
export class HotglueApiKeyMissingError extends HotglueError {
  readonly code = 'HOTGLUE_API_KEY_MISSING';

  constructor(
    readonly auth: HotglueAuthMode,
    readonly operation: string,
  ) {
    super(
      auth === 'secret'
        ? `${operation} needs the secret API key: set secretApiKey (HOTGLUE_SECRET_API_KEY)` +
            ' to the Secret (Environment) API Key from hotglue (Settings > API Keys).'
        : `${operation} in tenant mode needs the public API key: set publicApiKey (HOTGLUE_PUBLIC_API_KEY)` +
            " to the Public API Key from hotglue (Settings > API Keys), or pass { auth: 'secret' }.",
    );
  }
}

/** The call needs a flow id and neither the `flowId` option of the call nor the module's `flowId` is set. */
export class HotglueFlowIdMissingError extends HotglueError {
  readonly code = 'HOTGLUE_FLOW_ID_MISSING';

  constructor(readonly operation: string) {
    super(
      `${operation} needs a flow id: pass { flowId } to the call or set flowId (HOTGLUE_FLOW_ID) in the module options.`,
    );
  }
}
