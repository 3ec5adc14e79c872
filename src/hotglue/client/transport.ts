import type { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { HotglueArgumentError } from '../hotglue.errors.js';
import type { HotglueValidatedOptions } from '../options/hotglue.options.js';
import type { HotglueCallRecorder, HotglueTelemetry } from '../telemetry/index.js';
import {
  HotglueAbortError,
  HotglueApiError,
  HotglueApiKeyMissingError,
  HotglueNetworkError,
  type HotglueRequestError,
  type HotglueRequestInfo,
  HotglueResponseInvalidError,
  HotglueResponseTooLargeError,
  HotglueRetryAfterTooLongError,
  HotglueTimeoutError,
} from './client.errors.js';
import type { HotglueAuthMode, HotglueRequestHook, HotglueResponseHook } from './client-hooks.js';
import type { HotglueEndpoint } from './endpoints.js';
import { parseErrorBody } from './error-body.js';
import type { HotglueRequester } from './http-pool.js';
import { Redactor } from './redaction.js';
import { compilePath, encodeQuery, type QueryParams } from './request-path.js';
import {
  isRetryableNetworkCode,
  isRetryableStatus,
  JitteredBackoff,
  mayRetryMethod,
  parseRetryAfter,
} from './retry-policy.js';

/** What the transport needs from `HotglueTokenService`. */
export interface HotglueTokenProvider {
  getToken(tenantId: string): Promise<{ readonly token: string }>;
  createToken(tenantId: string): Promise<{ readonly token: string }>;
  evictToken(tenantId?: string): void;
}

/** Where the transport writes its one debug line per attempt (Nest's `Logger` in the module). */
export interface TransportLogger {
  debug(message: string): void;
  /** When present and false, the debug line is not even formatted. */
  isDebugEnabled?(): boolean;
}

/** Per-call inputs of `HotglueTransport.send`. */
export interface TransportCall {
  /** Path placeholders other than `{env}`: `flow`, `tenant`, `connector`, `stream`. Encoded by the transport. */
  readonly params?: Readonly<Record<string, string | undefined>>;
  readonly query?: QueryParams;
  /** JSON body; `undefined` sends none. */
  readonly body?: unknown;
  /** The tenant whose token is sent in tenant mode on routes that accept one. */
  readonly tenantId?: string;
  readonly auth?: HotglueAuthMode;
  readonly signal?: AbortSignal;
  /** `true` lets a POST/PATCH be retried; `false` disables retries for this call. */
  readonly retry?: boolean;
}

type HttpSettings = HotglueValidatedOptions['http'];

type Outcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body: Buffer;
    }
  | {
      readonly kind: 'failure';
      readonly error: HotglueRequestError;
      readonly retryable: boolean;
      readonly code: string;
    };

/** Per-call retry state. Plain data, no closures: the hot path allocates as little as possible. */
interface DecisionContext {
  attempt: number;
  mayRetry: boolean;
  canResign: boolean;
  deadline: number;
  info: HotglueRequestInfo;
  /** Tokens used by this call, redacted from hotglue's error messages. */
  minted: string[];
  backoff: JitteredBackoff | undefined;
}

type Decision =
  | { readonly kind: 'return'; readonly value: unknown }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly resign?: boolean }
  | { readonly kind: 'throw'; readonly error: Error };

class BodyLimitExceeded extends Error {}

/**
 * The per-attempt cancel signal handed to undici. undici accepts any object with `on`/`once` and
 * `removeListener` ("an EventEmitter") as `signal` and registers exactly one `abort` listener; this minimal
 * one costs far less per request than an AbortController or a full EventEmitter. It is also the listener
 * registered on the caller's AbortSignal (`handleEvent`) and the argument of the attempt timer, so an attempt
 * creates no closures.
 */
class AttemptCancel {
  aborted = false;
  timedOut = false;
  private listener: (() => void) | undefined = undefined;

  on(_event: 'abort', listener: () => void): this {
    this.listener = listener;
    return this;
  }

  once(event: 'abort', listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(_event: 'abort', listener: () => void): this {
    if (this.listener === listener) this.listener = undefined;
    return this;
  }

  fire(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }

  /** The caller's AbortSignal fired. */
  handleEvent(): void {
    this.fire();
  }
}

function onAttemptTimeout(cancel: AttemptCancel): void {
  cancel.timedOut = true;
  cancel.fire();
}

function requestInfo(method: string, path: string, attempts: number): HotglueRequestInfo {
  return { method, path, attempts };
}

const EMPTY = Buffer.alloc(0);

/**
 * The one transport of `HotglueClient`. Endpoint methods only declare what to send; this class owns path
 * encoding, auth headers and tokens, timeouts, retries, response limits, typed errors, redaction, logging and
 * hooks. No Nest here: it is constructed by `HotglueClient` with the pool, the options and the token service.
 */
export class HotglueTransport {
  private readonly http: HttpSettings;
  private readonly basePath: string;
  private readonly onRequest: HotglueRequestHook | undefined;
  private readonly onResponse: HotglueResponseHook | undefined;

  // #private, not `private`: util.inspect never shows them. The pool keeps recent requests (headers with
  // `x-api-key`) in its queues and the token service caches tokens, so `console.log(client)` must not reach them.
  readonly #dispatcher: HotglueRequester;
  readonly #options: HotglueValidatedOptions;
  readonly #tokens: HotglueTokenProvider;
  readonly #logger: TransportLogger;
  readonly #telemetry: HotglueTelemetry | undefined;
  readonly #baseUrl: URL;
  /** `magicLinkUrl` and its path prefix; `origin` undefined when it shares the `apiUrl` origin (one pool). */
  readonly #magicLink: {
    readonly baseUrl: URL;
    readonly basePath: string;
    readonly origin: string | undefined;
  };

  constructor(
    dispatcher: HotglueRequester,
    options: HotglueValidatedOptions,
    tokens: HotglueTokenProvider,
    logger: TransportLogger,
    /** Spans and metrics per call (see `loadHotglueTelemetry`); absent or disabled: nothing is recorded. */
    telemetry?: HotglueTelemetry,
  ) {
    this.#telemetry = telemetry?.enabled ? telemetry : undefined;
    this.#baseUrl = new URL(options.apiUrl);
    this.#dispatcher = dispatcher;
    this.#options = options;
    this.#tokens = tokens;
    this.#logger = logger;
    this.http = options.http;
    this.basePath = this.#baseUrl.pathname.replace(/\/+$/, '');
    const magicLinkUrl = new URL(options.magicLinkUrl ?? options.apiUrl);
    this.#magicLink = {
      baseUrl: magicLinkUrl,
      basePath: magicLinkUrl.pathname.replace(/\/+$/, ''),
      origin: magicLinkUrl.origin === this.#baseUrl.origin ? undefined : magicLinkUrl.origin,
    };
    this.onRequest = options.onRequest;
    this.onResponse = options.onResponse;
  }

  /** The path prefix of the base URL the endpoint goes to (`apiUrl`, or `magicLinkUrl` for createMagicLink). */
  #basePathOf(endpoint: HotglueEndpoint): string {
    return endpoint.host === 'magicLink' ? this.#magicLink.basePath : this.basePath;
  }

  /** The auth mode a call uses: the requested one, else secret when a secret key is configured, else tenant. */
  resolveAuth(endpoint: HotglueEndpoint, requested: HotglueAuthMode | undefined): HotglueAuthMode {
    if (endpoint.keys === 'secret') {
      if (!this.#options.secretApiKey) throw new HotglueApiKeyMissingError('secret', endpoint.operation);
      return 'secret';
    }
    const auth = requested ?? (this.#options.secretApiKey ? 'secret' : 'tenant');
    if (auth !== 'secret' && auth !== 'tenant') {
      throw new HotglueArgumentError('auth', `must be 'secret' or 'tenant'.`);
    }
    const key = auth === 'secret' ? this.#options.secretApiKey : this.#options.publicApiKey;
    if (!key) throw new HotglueApiKeyMissingError(auth, endpoint.operation);
    return auth;
  }

  /** Sends one operation and resolves to its parsed JSON body (`{}` for an empty 2xx body). */
  send<T>(endpoint: HotglueEndpoint, call: TransportCall = {}): Promise<T> {
    if (this.#telemetry === undefined) return this.#send(endpoint, call, undefined);
    return this.#traced(endpoint, call, this.#telemetry);
  }

  /** `send` inside a client span: one per call, ended with the call's outcome. */
  async #traced<T>(endpoint: HotglueEndpoint, call: TransportCall, telemetry: HotglueTelemetry): Promise<T> {
    let auth: HotglueAuthMode;
    try {
      auth = this.resolveAuth(endpoint, call.auth);
    } catch (error) {
      // Refused before anything was sent: nothing to trace.
      return Promise.reject(error);
    }
    const recorder = telemetry.startClientCall({
      operation: endpoint.operation,
      method: endpoint.method,
      pathTemplate: endpoint.path,
      baseUrl: endpoint.host === 'magicLink' ? this.#magicLink.baseUrl : this.#baseUrl,
      path: () => this.#basePathOf(endpoint) + compilePath(endpoint.path)(call.params, this.#options.envId),
      tenantId: call.tenantId ?? call.params?.tenant,
      auth,
    });
    try {
      const value = await this.#send<T>(endpoint, call, recorder);
      recorder?.end();
      return value;
    } catch (error) {
      recorder?.end(error);
      throw error;
    }
  }

  async #send<T>(
    endpoint: HotglueEndpoint,
    call: TransportCall,
    recorder: HotglueCallRecorder | undefined,
  ): Promise<T> {
    const { method, operation } = endpoint;
    // Read the call once: callers may pass objects of any shape, and repeated reads of those are slow.
    const { params, query: queryParams, body, tenantId: callTenant, signal, retry } = call;
    const auth = this.resolveAuth(endpoint, call.auth);
    const apiKey = (auth === 'secret' ? this.#options.secretApiKey : this.#options.publicApiKey) as string;
    const path = this.#basePathOf(endpoint) + compilePath(endpoint.path)(params, this.#options.envId);
    // Set only for an operation on another origin than apiUrl (createMagicLink): the pool routes by it.
    const origin = endpoint.host === 'magicLink' ? this.#magicLink.origin : undefined;
    const useToken = auth === 'tenant' && endpoint.token;
    if (useToken && (typeof callTenant !== 'string' || callTenant.length === 0)) {
      throw new HotglueArgumentError('tenantId', 'must be a non-empty string.');
    }
    const tenantId = callTenant as string;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> =
      payload === undefined
        ? { accept: 'application/json', 'x-api-key': apiKey }
        : { accept: 'application/json', 'x-api-key': apiKey, 'content-type': 'application/json' };
    const query = encodeQuery(queryParams);
    const target = path + query;
    // The token goes last, so logs and errors show the same URL with only its value replaced.
    const tokenPrefix = useToken ? `${target}${query ? '&' : '?'}token=` : '';
    const publicPath = useToken ? `${tokenPrefix}[REDACTED]` : target;
    const mayRetry = mayRetryMethod(method, retry);
    const { timeoutMs } = this.http;
    const deadline = performance.now() + timeoutMs;
    const minted: string[] = [];

    if (signal?.aborted) throw new HotglueAbortError(requestInfo(method, publicPath, 0));
    let token: string | undefined;
    if (useToken) {
      token = (await this.#tokens.getToken(tenantId)).token;
      minted.push(token);
    }
    let resigned = false;
    const policy: DecisionContext = {
      attempt: 0,
      mayRetry,
      canResign: useToken,
      deadline,
      info: requestInfo(method, publicPath, 0),
      minted,
      backoff: undefined,
    };

    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - performance.now();
      if (signal?.aborted) throw new HotglueAbortError(requestInfo(method, publicPath, attempt - 1));
      if (remaining <= 0)
        throw new HotglueTimeoutError(requestInfo(method, publicPath, attempt - 1), 'overall', timeoutMs);
      // A compact JWT is base64url and dots, so encoding it changes nothing; it is encoded anyway in case
      // a token source ever hands out something else.
      const fullPath = token === undefined ? target : tokenPrefix + encodeURIComponent(token);
      if (this.onRequest) notify(this.onRequest, { operation, method, path: publicPath, attempt, auth });
      const started = performance.now();
      policy.attempt = attempt;
      policy.info = requestInfo(method, publicPath, attempt);
      policy.canResign = useToken && !resigned;
      const outcome = await this.attempt(
        fullPath,
        origin,
        method,
        headers,
        payload,
        signal,
        remaining,
        policy,
      );
      const durationMs = performance.now() - started;
      const decision = this.decide(outcome, policy);
      const status = outcome.kind === 'response' ? outcome.status : undefined;
      const errorCode = outcome.kind === 'failure' ? outcome.code : undefined;
      const willRetry = decision.kind === 'retry';
      if (this.#logger.isDebugEnabled?.() !== false) {
        this.#logger.debug(
          `${operation} ${method} ${publicPath} -> ${status ?? errorCode} in ${Math.round(durationMs * 10) / 10} ms (attempt ${attempt}${
            willRetry ? `, retrying in ${Math.round(decision.delayMs)} ms` : ''
          })`,
        );
      }
      recorder?.attempt({ status, errorCode, durationMs, willRetry });
      if (this.onResponse) {
        notify(this.onResponse, {
          operation,
          method,
          path: publicPath,
          attempt,
          auth,
          status,
          errorCode,
          durationMs,
          willRetry,
        });
      }

      if (decision.kind === 'return') return decision.value as T;
      if (decision.kind === 'throw') throw decision.error;
      if (decision.resign) {
        resigned = true;
        this.#tokens.evictToken(tenantId);
        token = (await this.#tokens.createToken(tenantId)).token;
        minted.push(token);
      } else if (!(await sleep(decision.delayMs, signal))) {
        throw new HotglueAbortError(requestInfo(method, publicPath, attempt));
      }
    }
  }

  private decide(outcome: Outcome, ctx: DecisionContext): Decision {
    const attemptsLeft = ctx.attempt < this.http.maxAttempts;

    if (outcome.kind === 'failure') {
      if (outcome.retryable && ctx.mayRetry && attemptsLeft)
        return this.waitOrGiveUp(this.nextBackoff(ctx), outcome.error, ctx);
      return { kind: 'throw', error: outcome.error };
    }
    const { status, body } = outcome;
    if (status >= 200 && status < 300) {
      if (body.length === 0) return { kind: 'return', value: {} };
      try {
        return { kind: 'return', value: JSON.parse(body.toString('utf8')) };
      } catch {
        return { kind: 'throw', error: new HotglueResponseInvalidError(ctx.info, status) };
      }
    }
    const redactor = new Redactor([this.#options.publicApiKey, this.#options.secretApiKey, ...ctx.minted]);
    const parsed = parseErrorBody(body.toString('utf8'), (text) => redactor.redactUpstream(text));
    const apiError = new HotglueApiError({ ...ctx.info, status, ...parsed });
    // A refused token may be stale or signed before a key rotation: sign a fresh one, once.
    if (status === 401 && ctx.canResign && attemptsLeft) return { kind: 'retry', delayMs: 0, resign: true };
    if (!isRetryableStatus(status) || !ctx.mayRetry || !attemptsLeft)
      return { kind: 'throw', error: apiError };
    const hinted = parseRetryAfter(outcome.headers['retry-after'], Date.now());
    if (hinted !== undefined && hinted > this.http.maxRetryAfterMs) {
      return {
        kind: 'throw',
        error: new HotglueRetryAfterTooLongError(ctx.info, status, hinted, this.http.maxRetryAfterMs),
      };
    }
    return this.waitOrGiveUp(hinted ?? this.nextBackoff(ctx), apiError, ctx);
  }

  /** Retry after `delayMs`, unless that would pass the overall deadline. */
  private waitOrGiveUp(delayMs: number, cause: Error, ctx: DecisionContext): Decision {
    if (performance.now() + delayMs < ctx.deadline) return { kind: 'retry', delayMs };
    return {
      kind: 'throw',
      error: new HotglueTimeoutError(ctx.info, 'overall', this.http.timeoutMs, { cause }),
    };
  }

  private nextBackoff(ctx: DecisionContext): number {
    ctx.backoff ??= new JitteredBackoff(this.http.backoffBaseMs, this.http.backoffMaxMs);
    return ctx.backoff.next();
  }

  /** One HTTP exchange, bounded by the attempt timeout, the overall deadline, the caller's signal and the size cap. */
  private async attempt(
    path: string,
    origin: string | undefined,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    remainingMs: number,
    { info, minted }: DecisionContext,
  ): Promise<Outcome> {
    const cancel = new AttemptCancel();
    signal?.addEventListener('abort', cancel, { once: true });
    const limitMs = Math.min(this.http.attemptTimeoutMs, remainingMs);
    const cutByDeadline = remainingMs < this.http.attemptTimeoutMs;
    const timer = setTimeout(onAttemptTimeout, limitMs, cancel);
    try {
      const request: Dispatcher.RequestOptions = {
        path,
        method,
        headers,
        body,
        // The minimal emitter satisfies what undici reads from `signal` (see AttemptCancel).
        signal: cancel as unknown as EventEmitter,
      };
      if (origin !== undefined) request.origin = origin;
      const response = await this.#dispatcher.request(request);
      const payload = await readBounded(response, this.http.maxResponseBytes);
      return { kind: 'response', status: response.statusCode, headers: response.headers, body: payload };
    } catch (error) {
      if (error instanceof BodyLimitExceeded) {
        return {
          kind: 'failure',
          error: new HotglueResponseTooLargeError(info, this.http.maxResponseBytes),
          retryable: false,
          code: 'HOTGLUE_RESPONSE_TOO_LARGE',
        };
      }
      if (signal?.aborted) {
        return {
          kind: 'failure',
          error: new HotglueAbortError(info),
          retryable: false,
          code: 'HOTGLUE_ABORTED',
        };
      }
      if (cancel.timedOut) {
        const error = cutByDeadline
          ? new HotglueTimeoutError(info, 'overall', this.http.timeoutMs)
          : new HotglueTimeoutError(info, 'attempt', this.http.attemptTimeoutMs);
        return { kind: 'failure', error, retryable: !cutByDeadline, code: 'HOTGLUE_TIMEOUT' };
      }
      const code =
        typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
      // undici's errors are copied without the request, and any key or token in their text is redacted.
      const redactor = new Redactor([this.#options.publicApiKey, this.#options.secretApiKey, ...minted]);
      const cause = redactor.sanitizeError(error);
      return {
        kind: 'failure',
        error: new HotglueNetworkError(info, code, { cause }),
        retryable: isRetryableNetworkCode(code),
        code: code ?? 'UNKNOWN',
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }
}

/** Calls a metrics hook; a hook that throws must never break the call it observes. */
function notify<E>(hook: (event: E) => void, event: E): void {
  try {
    hook(event);
  } catch {
    // ignored on purpose
  }
}

/** Reads the whole body, refusing (and destroying the stream) beyond `limit` bytes. */
function readBounded(response: Dispatcher.ResponseData, limit: number): Promise<Buffer> {
  const body = response.body;
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    discard(body);
    return Promise.reject(new BodyLimitExceeded());
  }
  // Plain events, not `for await` (the async iterator costs more per response), and anonymous listeners
  // that are never removed: the stream ends (or is destroyed) right after them.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    body.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        discard(body);
        reject(new BodyLimitExceeded());
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    body.once('error', (error: Error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

/** Destroys a body stream we stop reading; the error its destruction emits is expected. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

/** Waits `ms`; resolves `false` at once when `signal` fires (before or during the wait). */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
