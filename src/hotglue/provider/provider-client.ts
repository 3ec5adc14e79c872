import type { Dispatcher } from 'undici';
import { escapeControlCharacters } from '../internal/escape-control-characters.js';
import type { HotglueProviderCallRecorder, HotglueTelemetry } from '../telemetry/index.js';
import { HotglueProviderError, type HotglueProviderErrorReason } from './provider.errors.js';
import { ProviderConnections } from './provider-connections.js';
import type { ProviderDispatcher, ProviderHttpSettings } from './provider-http.js';
import type { ResolvedProviderEntry } from './provider-registry.js';
import {
  buildTarget,
  checkTarget,
  type HotglueProviderQuery,
  providerBase,
  RefusedUrl,
  redactedUrl,
} from './provider-url.js';

/** The part of `HotglueCredentials` a provider call needs. */
export interface ProviderCredentials {
  readonly accessToken: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
}

/** Whose provider a `HotglueProviderClient` calls, and how it gets (and forgets) the credentials. */
export interface ProviderTarget {
  readonly tenantId: string;
  /** Tap or connector id: the registry key. */
  readonly entity: string;
  readonly kind: 'source' | 'connector';
  readonly flowId: string;
  /** The tenant's credentials, cached unless `fresh`. */
  credentials(fresh: boolean): Promise<ProviderCredentials>;
  /**
   * The cached credentials while fresh (and none are being fetched again), synchronously; else undefined.
   * The per-call fast path: no promise, no key built.
   */
  cached(): ProviderCredentials | undefined;
  /** Forgets the tenant's cached credentials of this entity. */
  evict(): void;
}

/** A request body: JSON (any plain value), text, bytes or a form (`URLSearchParams`). */
export type HotglueProviderBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | URLSearchParams
  | Readonly<Record<string, unknown>>
  | readonly unknown[]
  | number
  | boolean;

/** One call of `HotglueProviderClient.request`. */
export interface HotglueProviderRequest {
  /** HTTP method, default `GET`. */
  readonly method?: string;
  /**
   * Path below the provider's base URL (`/services/data/v62.0/sobjects`), optionally with a query; or an
   * absolute URL whose origin the provider's registry entry allows. Dot segments, backslashes, `//host` and
   * control characters are refused.
   */
  readonly path: string;
  /** Query parameters appended to the URL (encoded here). */
  readonly query?: HotglueProviderQuery;
  /** Extra headers. The provider's auth header is always set by the library (a caller's one is replaced). */
  readonly headers?: Readonly<Record<string, string>> | Headers;
  /** Body: an object or array is sent as JSON, a string as text, bytes as bytes, `URLSearchParams` as a form. */
  readonly body?: HotglueProviderBody;
  /** Cancels the call, its backoff and its credential wait; rejects with reason `aborted`. */
  readonly signal?: AbortSignal;
  /** Time budget of the whole call (every attempt and wait), ms. Default `providerHttp.timeoutMs`. */
  readonly timeoutMs?: number;
  /**
   * Retries of 5xx and network errors: by default only for GET, HEAD, OPTIONS, PUT and DELETE. `true` also
   * retries this call's other methods (only when a repeat is harmless); `false` retries nothing but the one
   * resend after fresh credentials. A 429 is retried for any method unless `false`.
   */
  readonly retry?: boolean;
}

/** A provider's answer, whatever its status (a 3xx included: redirects are never followed). */
export interface HotglueProviderResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Requests sent for this answer (retries and the resend after fresh credentials included). */
  readonly attempts: number;
  json<T = unknown>(): Promise<T>;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The shared parts: one per `HotglueClient` (so per environment). */
export interface ProviderRuntime {
  readonly settings: ProviderHttpSettings;
  readonly dispatcher: ProviderDispatcher;
  readonly telemetry: HotglueTelemetry;
  readonly connections: ProviderConnections;
  readonly bases: ProviderBases;
}

/** A provider's base URL for one credential value, resolved and checked once. */
interface ProviderBaseUrl {
  readonly url: URL;
  readonly origin: string;
  /** The base path without a trailing slash (`''` for the root). */
  readonly path: string;
}

/**
 * Resolved base URLs, keyed by entry and the credential values they were built from (most tenants of a
 * provider share one: `https://api.hubapi.com`), so a call with cached credentials parses no URL. Bounded.
 */
export class ProviderBases {
  private readonly cache = new Map<string, ProviderBaseUrl | RefusedUrl>();

  constructor(private readonly max = 10_000) {}

  get(
    entry: ResolvedProviderEntry,
    properties: Readonly<Record<string, string | number | boolean>>,
  ): ProviderBaseUrl | RefusedUrl {
    let key = entry.id;
    for (const name of entry.propertyNames) {
      const value = Object.hasOwn(properties, name) ? properties[name] : undefined;
      key += `\0${typeof value === 'string' ? value : ''}`;
    }
    let base = this.cache.get(key);
    if (base !== undefined && this.entries.get(key) === entry) return base;
    const resolved = providerBase(entry, properties);
    base =
      resolved instanceof RefusedUrl
        ? resolved
        : { url: resolved, origin: resolved.origin, path: resolved.pathname.replace(/\/+$/, '') };
    if (this.cache.size >= this.max) {
      this.cache.clear();
      this.entries.clear();
    }
    this.cache.set(key, base);
    this.entries.set(key, entry);
    return base;
  }

  // Which entry object a cached base was built for: a registry rebuilt with a changed entry never reuses it.
  private readonly entries = new Map<string, ResolvedProviderEntry>();
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const METHOD = /^[A-Z]{1,16}$/;
/** Headers a caller may not set: the transport owns them, or they mean a different request. */
const OWNED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'proxy-authorization',
  'te',
  'trailer',
  'expect',
]);
const EXCERPT_CHARS = 200;
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
const EMPTY = new ArrayBuffer(0);
/**
 * A path the fast route may append as it is: unreserved characters, sub-delims, `@` and `/` only. No `:`, so
 * never a scheme (an absolute URL takes the checked route).
 */
export const PLAIN_PATH = /^\/?[A-Za-z0-9\-._~!$&'()*+,;=@/]*$/;

/**
 * What a call has sent so far, for its error and its span, and where its current attempt goes. The
 * redacted URL text is built only when one needs it (`urlOf`): a plain path keeps its text, a parsed one
 * its `URL`.
 */
interface CallState {
  attempts: number;
  status: number | undefined;
  url: string | URL | undefined;
  origin: string;
  path: string;
}

/** The call's target for errors and spans: origin and path, the query redacted. */
function urlOf(state: CallState): string | undefined {
  const url = state.url;
  return url === undefined || typeof url === 'string' ? url : redactedUrl(url);
}

type Encoded = { readonly body?: string | Buffer; readonly contentType?: string };

class ProviderResponse implements HotglueProviderResponse {
  #headers: Headers | undefined;

  constructor(
    readonly status: number,
    private readonly rawHeaders: Record<string, string | string[] | undefined>,
    private readonly bytes: ArrayBuffer,
    readonly attempts: number,
  ) {}

  get headers(): Headers {
    this.#headers ??= toHeaders(this.rawHeaders);
    return this.#headers;
  }

  // Not `async`: the body is already read, so these settle at once without a promise chain of their own.
  json<T = unknown>(): Promise<T> {
    try {
      return Promise.resolve(JSON.parse(this.decoded()) as T);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  text(): Promise<string> {
    return Promise.resolve(this.decoded());
  }

  private decoded(): string {
    return Buffer.from(this.bytes).toString('utf8');
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes.slice(0);
  }

  /** @internal the body as read, for `fetch`. */
  rawBody(): ArrayBuffer {
    return this.bytes;
  }
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (value === undefined) continue;
    try {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else headers.append(name, value);
    } catch {
      // A header WHATWG refuses (an invalid value) is dropped rather than failing the whole answer.
    }
  }
  return headers;
}

/**
 * Calls one tenant's provider API with the tenant's OAuth token, injected by the library and never handed
 * to the caller. Obtained from `HotglueClient.provider(tenantId, tap, options?)`; see docs/providers.md.
 *
 * What it guarantees: requests go only to the origins the provider's registry entry allows (relative paths
 * stay below the base URL); redirects are returned, never followed; a 401 evicts the cached credentials,
 * fetches them fresh once (one fetch however many calls saw it) and resends once; 429 is retried after its
 * `Retry-After`, 5xx and network errors only for idempotent methods unless `retry: true`; every call has a
 * time budget and a response size cap. Failures are `HotglueProviderError`; any status is a response.
 */
export interface HotglueProviderClient {
  /** The registry id of the provider this client calls (the tap or connector id). */
  readonly provider: string;
  /** The tenant whose credentials this client uses. */
  readonly tenantId: string;
  /** Sends one request (with the retries above) and resolves to the provider's answer, whatever its status. */
  request(request: HotglueProviderRequest): Promise<HotglueProviderResponse>;
  /**
   * WHATWG `fetch` over the same guarantees, for provider SDKs that accept a custom `fetch`. `input` is a
   * path below the base URL, an absolute URL of an allowed origin, or a `Request`. A 3xx comes back as that
   * response (`redirect` in `init` is ignored: nothing is followed with the token).
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

/** The implementation behind `HotglueClient.provider()`; not exported from the package. */
export class ProviderClient implements HotglueProviderClient {
  readonly #runtime: ProviderRuntime;
  readonly #entry: ResolvedProviderEntry;
  readonly #target: ProviderTarget;

  constructor(runtime: ProviderRuntime, entry: ResolvedProviderEntry, target: ProviderTarget) {
    this.#runtime = runtime;
    this.#entry = entry;
    this.#target = target;
  }

  /** The registry id of the provider this client calls (the tap or connector id). */
  get provider(): string {
    return this.#entry.id;
  }

  /** The tenant whose credentials this client uses. */
  get tenantId(): string {
    return this.#target.tenantId;
  }

  /** Sends one request (with the retries above) and resolves to the provider's answer, whatever its status. */
  request(request: HotglueProviderRequest): Promise<HotglueProviderResponse> {
    // Not `async`: an async wrapper around the returned promise would cost the call extra ticks. Every
    // synchronous refusal still arrives as a rejection.
    try {
      return this.start(request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private start(request: HotglueProviderRequest): Promise<HotglueProviderResponse> {
    if (typeof request !== 'object' || request === null) {
      throw this.error('bad-request', 'request() takes an object such as { method: "GET", path: "/me" }');
    }
    const method = (request.method ?? 'GET').toUpperCase();
    if (!METHOD.test(method) || method === 'CONNECT' || method === 'TRACE') {
      throw this.error(
        'bad-request',
        'method must be an HTTP method such as GET, POST, PUT, PATCH or DELETE',
      );
    }
    const headers = this.headersOf(request.headers);
    const encoded = this.encode(request.body, method);
    if (encoded.contentType && headers['content-type'] === undefined) {
      headers['content-type'] = encoded.contentType;
    }
    return this.send(method, request.path, request.query, headers, encoded.body, request);
  }

  /**
   * WHATWG `fetch` over the same guarantees, for provider SDKs that accept a custom `fetch`. `input` is a
   * path below the base URL, an absolute URL of an allowed origin, or a `Request`. A 3xx comes back as that
   * response (`redirect` in `init` is ignored: nothing is followed with the token).
   */
  async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    let path: string;
    let normalised: Request;
    try {
      if (typeof Request !== 'undefined' && input instanceof Request) {
        path = input.url;
        normalised = new Request(input, init);
      } else {
        path = input instanceof URL ? input.href : String(input);
        // Only to normalise method, headers and body as fetch does; never sent, never resolved against.
        normalised = new Request('http://provider.invalid/', init);
      }
    } catch {
      throw this.error('bad-request', 'fetch() input or init is not a valid request');
    }
    const headers = this.headersOf(normalised.headers);
    const method = normalised.method.toUpperCase();
    const body = normalised.body ? Buffer.from(await normalised.arrayBuffer()) : undefined;
    const response = (await this.send(method, path, undefined, headers, body, {
      signal: init?.signal ?? undefined,
      retry: undefined,
    })) as ProviderResponse;
    const status = response.status;
    return new Response(NULL_BODY_STATUS.has(status) || method === 'HEAD' ? null : response.rawBody(), {
      status,
      headers: response.headers,
    });
  }

  /** Checks and sets up one call, then `attempts` runs it. Throws (synchronously) on a refused target. */
  private send(
    method: string,
    path: string,
    query: HotglueProviderQuery | undefined,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    options: Pick<HotglueProviderRequest, 'signal' | 'timeoutMs' | 'retry'>,
  ): Promise<HotglueProviderResponse> {
    const refused = checkTarget(this.#entry, path);
    if (refused) throw this.error('refused-url', refused.message, { method });
    const { settings, telemetry } = this.#runtime;
    const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 3_600_000) {
      throw this.error('bad-request', 'timeoutMs must be a whole number of milliseconds from 1 to 3600000');
    }
    const recorder = telemetry.enabled
      ? telemetry.startProviderCall?.({ provider: this.#entry.id, method, tenantId: this.#target.tenantId })
      : undefined;
    const call = new CallControl(options.signal, timeoutMs);
    const state: CallState = { attempts: 0, status: undefined, url: undefined, origin: '', path: '' };
    return this.attempts(method, path, query, headers, body, options, call, state, recorder);
  }

  private async attempts(
    method: string,
    path: string,
    query: HotglueProviderQuery | undefined,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    options: Pick<HotglueProviderRequest, 'retry'>,
    call: CallControl,
    state: CallState,
    recorder: HotglueProviderCallRecorder | undefined,
  ): Promise<HotglueProviderResponse> {
    // The call's whole life in one async frame: telemetry and the timer end here, whatever the outcome.
    try {
      const { settings, dispatcher, connections } = this.#runtime;
      const retryErrors = options.retry === true || (options.retry !== false && IDEMPOTENT.has(method));
      // Not raced against the signal: a cached read settles at once, and a fetch is bounded by the hotglue
      // transport's own timeouts; the abort or budget is checked as soon as it settles.
      let credentials = this.#target.cached() ?? (await this.credentials(false));
      if (call.aborted) throw this.failure(call, method, state);
      let refreshed = false;
      let retries = 0;
      for (;;) {
        this.resolveTarget(credentials, path, query, method, state);
        // `headers` is this call's own copy (headersOf), never the caller's object: the token goes straight
        // in, replaced on a resend after fresh credentials.
        headers[this.#entry.authHeader] = `${this.#entry.authPrefix}${credentials.accessToken}`;
        state.attempts++;
        let data: Dispatcher.ResponseData;
        let bytes: ArrayBuffer;
        try {
          const attemptMs = Math.min(settings.attemptTimeoutMs, call.remaining());
          data = await dispatcher.request({
            origin: state.origin,
            path: state.path,
            method: method as Dispatcher.HttpMethod,
            headers,
            body,
            // undici accepts an emitter as its signal (see CallControl).
            signal: call as unknown as AbortSignal,
            headersTimeout: attemptMs,
            bodyTimeout: attemptMs,
          });
          state.status = data.statusCode;
          const length = Number(data.headers['content-length']);
          if (length > settings.maxResponseBytes) {
            data.body.destroy();
            throw new TooLarge();
          }
          bytes = method === 'HEAD' ? EMPTY : await data.body.arrayBuffer();
        } catch (error) {
          const failure = this.classify(error, call);
          if (failure === 'network' || failure === 'timeout') {
            const wait = this.backoff(retries);
            if (retryErrors && retries + 1 < settings.maxAttempts && wait < call.remaining()) {
              retries++;
              await call.sleep(wait, () => this.failure(call, method, state));
              continue;
            }
          }
          throw this.error(failure, messageOf(failure, error), {
            method,
            url: urlOf(state),
            status: failure === 'too-large' ? state.status : undefined,
            attempts: state.attempts,
          });
        }
        const status = data.statusCode;
        if (status === 401) {
          if (!refreshed) {
            refreshed = true;
            credentials = await call.wait(this.refresh(credentials.accessToken), () =>
              this.failure(call, method, state),
            );
            continue;
          }
          connections.revoked(this.#target, this.#entry.id);
          throw this.error(
            'reconnect',
            "the provider refused the tenant's token, also after fresh credentials were fetched: the tenant must reconnect it in hotglue's widget",
            {
              method,
              url: urlOf(state),
              status,
              attempts: state.attempts,
              excerpt: excerptOf(bytes, credentials.accessToken),
            },
          );
        }
        if ((status === 429 && options.retry !== false) || (status >= 500 && retryErrors)) {
          const retryAfter = retryAfterMs(data.headers['retry-after']);
          const wait = retryAfter ?? (status === 429 ? settings.backoffBaseMs : this.backoff(retries));
          if (
            retries + 1 < settings.maxAttempts &&
            (retryAfter === undefined || retryAfter <= settings.maxRetryAfterMs) &&
            wait < call.remaining()
          ) {
            retries++;
            await call.sleep(wait, () => this.failure(call, method, state));
            continue;
          }
        }
        const response = new ProviderResponse(status, data.headers, bytes, state.attempts);
        recorder?.end({ url: urlOf(state), status, attempts: state.attempts });
        connections.ok(this.#target, this.#entry.id);
        return response;
      }
    } catch (error) {
      recorder?.end({ url: urlOf(state), status: state.status, attempts: state.attempts, error });
      throw error;
    } finally {
      call.dispose();
    }
  }

  /** Credentials, with a revoked grant (hotglue's `HotglueCredentialsError` `revoked`) mapped to `reconnect`. */
  private async credentials(fresh: boolean): Promise<ProviderCredentials> {
    try {
      return await this.#target.credentials(fresh);
    } catch (error) {
      if ((error as { reason?: unknown })?.reason === 'revoked') {
        this.#runtime.connections.revoked(this.#target, this.#entry.id);
        throw this.error(
          'reconnect',
          "hotglue reports the tenant's grant revoked: the tenant must reconnect it in hotglue's widget",
          {},
          error,
        );
      }
      throw error;
    }
  }

  /** Fresh credentials after a 401 with `failedToken`: one fetch for every call that saw that token fail. */
  private refresh(failedToken: string): Promise<ProviderCredentials> {
    return this.#runtime.connections.refresh(this.#target, failedToken, () => {
      this.#target.evict();
      return this.credentials(true);
    });
  }

  /**
   * Where this attempt goes, written into `state`. The base is cached per (entry, credential value) in the runtime; a plain path
   * (nothing but unreserved characters and `/`, no query, no dot segment: `checkTarget` ran) is appended as
   * text, which is what the URL parser would produce for it, without building two URL objects per call.
   */
  private resolveTarget(
    credentials: ProviderCredentials,
    path: string,
    query: HotglueProviderQuery | undefined,
    method: string,
    state: CallState,
  ): void {
    const base = this.#runtime.bases.get(this.#entry, credentials.properties);
    if (base instanceof RefusedUrl) throw this.error('refused-url', base.message, { method });
    if (query === undefined && PLAIN_PATH.test(path)) {
      const full = `${base.path}${path.startsWith('/') ? '' : '/'}${path}`;
      state.origin = base.origin;
      state.path = full;
      state.url = `${base.origin}${full}`;
      return;
    }
    const url = buildTarget(this.#entry, base.url, path, query);
    if (url instanceof RefusedUrl) throw this.error('refused-url', url.message, { method });
    state.origin = url.origin;
    state.path = `${url.pathname}${url.search}`;
    state.url = url;
  }

  private classify(error: unknown, call: CallControl): HotglueProviderErrorReason {
    if (error instanceof TooLarge) return 'too-large';
    if (call.callerAborted) return 'aborted';
    if (call.timedOut) return 'timeout';
    const code = (error as { code?: unknown })?.code;
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'too-large';
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
    if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_TYPE') return 'bad-request';
    return 'network';
  }

  private failure(call: CallControl, method: string, state: CallState): HotglueProviderError {
    const reason = call.callerAborted ? 'aborted' : 'timeout';
    return this.error(reason, messageOf(reason, undefined), {
      method,
      url: urlOf(state),
      status: state.status,
      attempts: state.attempts,
    });
  }

  /** Full jitter: random in [0, min(max, base * 2^retries)). */
  private backoff(retries: number): number {
    const { backoffBaseMs, backoffMaxMs } = this.#runtime.settings;
    return Math.floor(Math.random() * Math.min(backoffMaxMs, backoffBaseMs * 2 ** retries));
  }

  private headersOf(input: HotglueProviderRequest['headers']): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    if (input === undefined) return out;
    if (input instanceof Headers) {
      for (const [rawName, value] of input) this.addHeader(out, rawName, value);
      return out;
    }
    if (typeof input !== 'object' || input === null) {
      throw this.error('bad-request', 'headers must be an object of strings or a Headers');
    }
    // Own enumerable string keys, as Object.entries gives them, without its array of pairs per call.
    for (const rawName of Object.keys(input))
      this.addHeader(out, rawName, (input as Record<string, unknown>)[rawName]);
    return out;
  }

  private addHeader(out: Record<string, string>, rawName: string, value: unknown): void {
    const name = headerName(rawName);
    if (name === undefined || typeof value !== 'string' || BAD_HEADER_VALUE.test(value)) {
      throw this.error(
        'bad-request',
        'headers must be valid header names with string values without CR, LF or NUL',
      );
    }
    // The token header is the library's; hop-by-hop and framing headers belong to the transport.
    if (name === this.#entry.authHeader || OWNED_HEADERS.has(name)) return;
    out[name] = value;
  }

  private encode(body: HotglueProviderRequest['body'], method: string): Encoded {
    if (body === undefined || body === null) return {};
    if (method === 'GET' || method === 'HEAD') {
      throw this.error('bad-request', `${method} requests cannot have a body`);
    }
    if (typeof body === 'string') return { body, contentType: 'text/plain;charset=utf-8' };
    if (body instanceof URLSearchParams) {
      return { body: body.toString(), contentType: 'application/x-www-form-urlencoded;charset=utf-8' };
    }
    if (body instanceof ArrayBuffer)
      return { body: Buffer.from(body), contentType: 'application/octet-stream' };
    if (ArrayBuffer.isView(body)) {
      return {
        body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
        contentType: 'application/octet-stream',
      };
    }
    try {
      return { body: JSON.stringify(body), contentType: 'application/json' };
    } catch {
      throw this.error('bad-request', 'body could not be serialised as JSON');
    }
  }

  private error(
    reason: HotglueProviderErrorReason,
    message: string,
    details: { method?: string; url?: string; status?: number; attempts?: number; excerpt?: string } = {},
    cause?: unknown,
  ): HotglueProviderError {
    return new HotglueProviderError(
      reason,
      message,
      { provider: this.#entry.id, tenantId: this.#target.tenantId, ...details },
      cause === undefined ? undefined : { cause },
    );
  }
}

class TooLarge extends Error {}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const BAD_HEADER_VALUE = /[\r\n\0]/;
/** Header names as callers spell them, lower-cased and checked once. Bounded: names are few in practice. */
const HEADER_NAMES = new Map<string, string>();

/** `rawName` lower-cased when it is a valid header name (RFC 9110 token), else undefined. */
function headerName(rawName: string): string | undefined {
  const known = HEADER_NAMES.get(rawName);
  if (known !== undefined) return known;
  const name = rawName.toLowerCase();
  if (!HEADER_NAME.test(name)) return undefined;
  if (HEADER_NAMES.size < 512) HEADER_NAMES.set(rawName, name);
  return name;
}

function messageOf(reason: HotglueProviderErrorReason, error: unknown): string {
  switch (reason) {
    case 'timeout':
      return "the provider call ran out of time (providerHttp.attemptTimeoutMs / timeoutMs, or the call's timeoutMs)";
    case 'aborted':
      return "the caller's signal aborted the provider call";
    case 'too-large':
      return 'the provider answer exceeds providerHttp.maxResponseBytes';
    case 'bad-request':
      return 'the request could not be sent as given';
    default: {
      // The code only (ECONNREFUSED, UND_ERR_SOCKET...): undici's messages may quote the request.
      const code = (error as { code?: unknown })?.code;
      return `no answer from the provider${typeof code === 'string' ? ` (${escapeControlCharacters(code).slice(0, 40)})` : ''}`;
    }
  }
}

/** Up to 200 escaped characters of an answer, with the token taken out should the provider echo it. */
function excerptOf(bytes: ArrayBuffer, token: string): string | undefined {
  if (bytes.byteLength === 0) return undefined;
  let text = Buffer.from(bytes.slice(0, 4 * EXCERPT_CHARS)).toString('utf8');
  if (token !== '') text = text.split(token).join('[REDACTED]');
  text = escapeControlCharacters(text);
  return JSON.stringify(text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text);
}

/** `Retry-After` as ms: delta-seconds or an HTTP date (a past date is 0); undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date names its day and month; `Date.parse` would also read "-1" or "2026" as dates.
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * One call's cancellation: the caller's signal and the call's time budget. It is itself the signal handed to
 * undici (an emitter with `once` / `removeListener`, which undici accepts): cheaper per call than an
 * `AbortController`, whose signal costs a few microseconds to create and to listen to.
 */
class CallControl {
  private readonly deadline: number;
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort?: () => void;
  private listeners: Array<() => void> = [];
  /** undici reads these two. */
  aborted = false;
  reason: Error | undefined;
  /** Why: the caller's signal, or the time budget. */
  callerAborted = false;
  timedOut = false;

  constructor(
    private readonly caller: AbortSignal | undefined,
    timeoutMs: number,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.fire();
    }, timeoutMs);
    this.timer.unref?.();
    if (caller) {
      if (caller.aborted) {
        this.callerAborted = true;
        this.aborted = true;
      } else {
        this.onCallerAbort = () => {
          this.callerAborted = true;
          this.fire();
        };
        caller.addEventListener('abort', this.onCallerAbort, { once: true });
      }
    }
  }

  once(_event: 'abort', listener: () => void): this {
    this.listeners.push(listener);
    return this;
  }

  on(event: 'abort', listener: () => void): this {
    return this.once(event, listener);
  }

  removeListener(_event: 'abort', listener: () => void): this {
    const i = this.listeners.indexOf(listener);
    if (i !== -1) this.listeners.splice(i, 1);
    return this;
  }

  private fire(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new Error(this.callerAborted ? 'aborted' : 'timed out');
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** `promise`, or the failure as soon as the call is cancelled. */
  wait<T>(promise: Promise<T>, failure: () => Error): Promise<T> {
    if (this.aborted) {
      promise.catch(() => {});
      return Promise.reject(failure());
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(failure());
      this.once('abort', onAbort);
      promise.then(
        (value) => {
          this.removeListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.removeListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  sleep(ms: number, failure: () => Error): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const slept = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return this.wait(slept, failure).finally(() => clearTimeout(timer));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listeners = [];
    if (this.caller && this.onCallerAbort) this.caller.removeEventListener('abort', this.onCallerAbort);
  }
}
