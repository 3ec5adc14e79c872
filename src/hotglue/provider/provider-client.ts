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

/**
 * A provider's answer, whatever its status (a 3xx included: redirects are never followed), resolved when its
 * headers arrive. The body is read by `json()`, `text()` or `arrayBuffer()`; the call's time budget, signal
 * and size cap cover it until it has arrived, and a failure while reading rejects with
 * `HotglueProviderError`. A body nobody reads is read in the background.
 */
export interface HotglueProviderResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Requests sent for this answer (retries and the resend after fresh credentials included). */
  readonly attempts: number;
  /** The body as UTF-8 JSON. May be called again (the text is kept). */
  json<T = unknown>(): Promise<T>;
  /** The body as UTF-8 text (a leading byte order mark dropped). May be called again. */
  text(): Promise<string>;
  /** The body's bytes (a copy each call). Call it first when you need them: after `text()` or `json()` it rejects. */
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
/**
 * A path the fast route may append as it is: unreserved characters, sub-delims, `@` and `/` only. No `:`, so
 * never a scheme (an absolute URL takes the checked route).
 */
export const PLAIN_PATH = /^\/?[A-Za-z0-9\-._~!$&'()*+,;=@/]*$/;

type Encoded = { readonly body?: string | Buffer; readonly contentType?: string };
const NO_BODY: Encoded = Object.freeze({});

/** A response body as undici hands it over (the part of its `BodyReadable` read here). */
type BodyStream = Pick<Dispatcher.ResponseData['body'], 'text' | 'bytes' | 'dump'>;

/**
 * How a response reads its body: the call's error mapping and the end of its cancellation and telemetry,
 * which last until the body is read (or fails). Implemented by `ProviderClient`.
 */
interface BodyOwner {
  /** The typed error for a failure while reading the body. */
  bodyError(error: unknown, call: Call): Error;
  /** Ends the call: its timer and signal listener go, its span and metric point are recorded. */
  endCall(call: Call, error?: unknown): void;
}

const TEXT = 1;
const JSON_VALUE = 2;
const BYTES = 3;
type ReadAs = typeof TEXT | typeof JSON_VALUE | typeof BYTES;

/**
 * A provider's answer, resolved when its headers arrive. The body is read when the caller first asks for it
 * (`json()`, `text()`, `arrayBuffer()`), straight from undici's stream as `fetch` does, so a JSON answer is
 * decoded once with no copy. The call (its time budget, the caller's signal, the size cap, its span) lasts
 * until the whole body has arrived: at once when it came with the headers (the usual small answer), else
 * while it is read (undici keeps the call's signal on the body). A body still arriving that nobody asks for
 * by the end of the current tick is read (and kept) in the background, so it never holds its connection.
 * Later reads reuse what was read: `json()` and `text()` any number of times; `arrayBuffer()` needs the
 * bytes, so it must be the first read of an answer that may not be UTF-8 text.
 */
class ProviderResponse implements HotglueProviderResponse {
  private headersObject: Headers | undefined;
  /** Unread body, until a read claims it. */
  private body: BodyStream | undefined;
  private owner: BodyOwner | undefined;
  private call: Call | undefined;
  /** The body as read: text (`json()`/`text()` first) or bytes (`arrayBuffer()` or the background read). */
  private textValue: string | undefined;
  private bytesValue: Uint8Array | undefined;
  /** The read in progress (or failed), which later reads wait for. */
  private reading: Promise<unknown> | undefined;

  constructor(
    readonly status: number,
    private readonly rawHeaders: Record<string, string | string[] | undefined>,
    readonly attempts: number,
    bytes: Uint8Array | undefined,
    body?: BodyStream,
    owner?: BodyOwner,
    call?: Call,
    received = false,
  ) {
    this.bytesValue = bytes;
    if (body !== undefined) {
      this.body = body;
      this.owner = owner;
      this.call = call;
      // The whole body already arrived with the headers (the usual small answer): the call is over, the
      // read only decodes what undici holds. Else the call lasts until the body is read.
      if (received) this.ended = true;
      else process.nextTick(readUnclaimed, this);
    }
  }

  /** Whether the call already ended (its body had arrived in full). */
  private ended = false;

  get headers(): Headers {
    this.headersObject ??= toHeaders(this.rawHeaders);
    return this.headersObject;
  }

  json<T = unknown>(): Promise<T> {
    return this.read(JSON_VALUE) as Promise<T>;
  }

  text(): Promise<string> {
    return this.read(TEXT) as Promise<string>;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.read(BYTES) as Promise<ArrayBuffer>;
  }

  /** @internal the body's bytes, not copied, for `fetch`. */
  async rawBody(): Promise<Uint8Array> {
    if (this.bytesValue === undefined && this.textValue === undefined) await this.read(BYTES);
    return this.bytesValue ?? Buffer.from(this.textValue as string, 'utf8');
  }

  /** @internal reads an answer nobody claimed by the end of the tick it arrived in. */
  readUnclaimed(): void {
    if (this.body !== undefined) this.read(BYTES).catch(() => {});
  }

  // Not `async`: a body already read settles at once, with no promise chain of its own.
  private read(as: ReadAs): Promise<unknown> {
    try {
      if (this.textValue !== undefined) {
        if (as === BYTES) {
          return Promise.reject(
            new TypeError('the answer was read as text: call arrayBuffer() first when you need its bytes'),
          );
        }
        return Promise.resolve(as === JSON_VALUE ? JSON.parse(this.textValue) : this.textValue);
      }
      if (this.bytesValue !== undefined) return Promise.resolve(this.fromBytes(this.bytesValue, as));
    } catch (error) {
      return Promise.reject(error);
    }
    const body = this.body;
    if (body === undefined) {
      // A read in progress: once it settles, answer from what it stored (or with its failure).
      const again = () => this.read(as);
      return (this.reading as Promise<unknown>).then(again, (error: unknown) => {
        if (this.textValue !== undefined || this.bytesValue !== undefined) return again();
        throw error;
      });
    }
    this.body = undefined;
    const owner = this.owner as BodyOwner;
    const call = this.call as Call;
    this.owner = undefined;
    this.call = undefined;
    const ended = this.ended;
    const onError = (error: unknown) => {
      const typed = owner.bodyError(error, call);
      if (!ended) owner.endCall(call, typed);
      throw typed;
    };
    if (as === BYTES) {
      const read = body.bytes().then((bytes) => {
        this.bytesValue = bytes;
        if (!ended) owner.endCall(call);
      }, onError);
      this.reading = read;
      return read.then(() => this.fromBytes(this.bytesValue as Uint8Array, BYTES));
    }
    const read = body.text().then((text) => {
      this.textValue = text;
      if (!ended) owner.endCall(call);
      return as === JSON_VALUE ? JSON.parse(text) : text;
    }, onError);
    this.reading = read;
    return read;
  }

  private fromBytes(bytes: Uint8Array, as: ReadAs): unknown {
    if (as === BYTES) {
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    }
    // As undici's text() (and WHATWG's): UTF-8, a leading byte order mark dropped.
    const bom = bytes.byteLength >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', bom ? 3 : 0);
    return as === JSON_VALUE ? JSON.parse(text) : text;
  }
}

function readUnclaimed(response: ProviderResponse): void {
  response.readUnclaimed();
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
export class ProviderClient implements HotglueProviderClient, BodyOwner {
  readonly #runtime: ProviderRuntime;
  readonly #entry: ResolvedProviderEntry;
  readonly #target: ProviderTarget;
  /** The last credentials' properties and the base URL they resolve to (the cached credentials repeat). */
  #baseFor: object | undefined;
  #base: ProviderBaseUrl | RefusedUrl | undefined;
  /** The last credentials and the auth header value built from them. */
  #authFor: ProviderCredentials | undefined;
  #auth = '';

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
    // Read in full here (the call's budget and cap apply), then handed over as bytes.
    const bytes = await response.rawBody();
    return new Response(NULL_BODY_STATUS.has(status) || method === 'HEAD' ? null : bytes, {
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
    const call = new Call(method, options.signal, timeoutMs, recorder);
    return this.attempts(path, query, headers, body, options.retry, call);
  }

  private async attempts(
    path: string,
    query: HotglueProviderQuery | undefined,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    retry: boolean | undefined,
    call: Call,
  ): Promise<HotglueProviderResponse> {
    // The call's life in one async frame up to the answer's headers: the timer and telemetry end here on
    // failure or an answer already read; else when its body is read (ProviderResponse, endCall).
    let handedOver = false;
    const method = call.method;
    try {
      const { settings, dispatcher, connections } = this.#runtime;
      const retryErrors = retry === true || (retry !== false && IDEMPOTENT.has(method));
      // Not raced against the signal: a cached read settles at once, and a fetch is bounded by the hotglue
      // transport's own timeouts; the abort or budget is checked as soon as it settles.
      let credentials = this.#target.cached() ?? (await this.credentials(false));
      if (call.aborted) throw this.failure(call);
      let refreshed = false;
      let retries = 0;
      for (;;) {
        this.resolveTarget(credentials, path, query, call);
        // `headers` is this call's own copy (headersOf), never the caller's object: the token goes straight
        // in, replaced on a resend after fresh credentials.
        headers[this.#entry.authHeader] = this.authValue(credentials);
        call.attempts++;
        let data: Dispatcher.ResponseData;
        let bytes: Uint8Array | undefined;
        let status: number;
        let length: number;
        try {
          const attemptMs = Math.min(settings.attemptTimeoutMs, call.remaining());
          data = await dispatcher.request({
            origin: call.origin,
            path: call.path,
            method: method as Dispatcher.HttpMethod,
            headers,
            body,
            // undici accepts an emitter as its signal (see Call); it keeps it on the body until read.
            signal: call as unknown as AbortSignal,
            headersTimeout: attemptMs,
            bodyTimeout: attemptMs,
          });
          status = data.statusCode;
          call.status = status;
          length = Number(data.headers['content-length']);
          if (length > settings.maxResponseBytes) {
            data.body.destroy();
            throw new TooLarge();
          }
          // An answer that may be retried or refreshed is read here (a failure reading it is retried like
          // any network error); the answer the caller gets is read when the caller asks for it.
          if (status === 401 || (status === 429 && retry !== false) || (status >= 500 && retryErrors)) {
            bytes = await data.body.bytes();
          }
        } catch (error) {
          const failure = this.classify(error, call);
          if (failure === 'network' || failure === 'timeout') {
            const wait = this.backoff(retries);
            if (retryErrors && retries + 1 < settings.maxAttempts && wait < call.remaining()) {
              retries++;
              await call.sleep(wait, () => this.failure(call));
              continue;
            }
          }
          throw this.error(failure, messageOf(failure, error), {
            method,
            url: call.url(),
            status: failure === 'too-large' ? call.status : undefined,
            attempts: call.attempts,
          });
        }
        if (bytes === undefined) {
          connections.ok(this.#target, this.#entry.id);
          // Every byte the Content-Length announced is already buffered in undici: the answer is complete.
          const received = data.body.readableLength === length;
          handedOver = !received;
          const response = new ProviderResponse(
            status,
            data.headers,
            call.attempts,
            undefined,
            data.body,
            this,
            call,
            received,
          );
          if (received) call.recorder?.end({ url: call.url(), status, attempts: call.attempts });
          return response;
        }
        if (status === 401) {
          if (!refreshed) {
            refreshed = true;
            credentials = await call.wait(this.refresh(credentials.accessToken), () => this.failure(call));
            continue;
          }
          connections.revoked(this.#target, this.#entry.id);
          throw this.error(
            'reconnect',
            "the provider refused the tenant's token, also after fresh credentials were fetched: the tenant must reconnect it in hotglue's widget",
            {
              method,
              url: call.url(),
              status,
              attempts: call.attempts,
              excerpt: excerptOf(bytes, credentials.accessToken),
            },
          );
        }
        const retryAfter = retryAfterMs(data.headers['retry-after']);
        const wait = retryAfter ?? (status === 429 ? settings.backoffBaseMs : this.backoff(retries));
        if (
          retries + 1 < settings.maxAttempts &&
          (retryAfter === undefined || retryAfter <= settings.maxRetryAfterMs) &&
          wait < call.remaining()
        ) {
          retries++;
          await call.sleep(wait, () => this.failure(call));
          continue;
        }
        const response = new ProviderResponse(status, data.headers, call.attempts, bytes);
        call.recorder?.end({ url: call.url(), status, attempts: call.attempts });
        connections.ok(this.#target, this.#entry.id);
        return response;
      }
    } catch (error) {
      call.recorder?.end({ url: call.url(), status: call.status, attempts: call.attempts, error });
      throw error;
    } finally {
      if (!handedOver) call.dispose();
    }
  }

  /** @internal (BodyOwner) a failure while the caller reads the answer's body, as a typed error. */
  bodyError(error: unknown, call: Call): Error {
    const reason = this.classify(error, call);
    return this.error(reason, messageOf(reason, error), {
      method: call.method,
      url: call.url(),
      status: call.status,
      attempts: call.attempts,
    });
  }

  /** @internal (BodyOwner) the answer's body is read (or failed): the call ends. */
  endCall(call: Call, error?: unknown): void {
    call.dispose();
    const recorder = call.recorder;
    if (recorder === undefined) return;
    const url = call.url();
    if (error === undefined) recorder.end({ url, status: call.status, attempts: call.attempts });
    else recorder.end({ url, status: call.status, attempts: call.attempts, error });
  }

  /** The auth header's value for these credentials, built once per credentials object. */
  private authValue(credentials: ProviderCredentials): string {
    if (credentials === this.#authFor) return this.#auth;
    const value = `${this.#entry.authPrefix}${credentials.accessToken}`;
    this.#authFor = credentials;
    this.#auth = value;
    return value;
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
    call: Call,
  ): void {
    let base: ProviderBaseUrl | RefusedUrl;
    // The same credentials object as the last call (the cached one): the same base, no key built.
    if (credentials.properties === this.#baseFor && this.#base !== undefined) base = this.#base;
    else {
      base = this.#runtime.bases.get(this.#entry, credentials.properties);
      this.#baseFor = credentials.properties;
      this.#base = base;
    }
    if (base instanceof RefusedUrl) throw this.error('refused-url', base.message, { method: call.method });
    if (query === undefined && PLAIN_PATH.test(path)) {
      call.origin = base.origin;
      call.path = path.startsWith('/') ? `${base.path}${path}` : `${base.path}/${path}`;
      call.target = undefined;
      return;
    }
    const url = buildTarget(this.#entry, base.url, path, query);
    if (url instanceof RefusedUrl) throw this.error('refused-url', url.message, { method: call.method });
    call.origin = url.origin;
    call.path = `${url.pathname}${url.search}`;
    call.target = url;
  }

  private classify(error: unknown, call: Call): HotglueProviderErrorReason {
    if (error instanceof TooLarge) return 'too-large';
    if (call.callerAborted) return 'aborted';
    if (call.timedOut) return 'timeout';
    const code = (error as { code?: unknown })?.code;
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'too-large';
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
    if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_TYPE') return 'bad-request';
    return 'network';
  }

  private failure(call: Call): HotglueProviderError {
    const reason = call.callerAborted ? 'aborted' : 'timeout';
    return this.error(reason, messageOf(reason, undefined), {
      method: call.method,
      url: call.url(),
      status: call.status,
      attempts: call.attempts,
    });
  }

  /** Full jitter: random in [0, min(max, base * 2^retries)). */
  private backoff(retries: number): number {
    const { backoffBaseMs, backoffMaxMs } = this.#runtime.settings;
    return Math.floor(Math.random() * Math.min(backoffMaxMs, backoffBaseMs * 2 ** retries));
  }

  private headersOf(input: HotglueProviderRequest['headers']): Record<string, string> {
    // A plain object keeps V8's fast properties (a null-prototype one is a dictionary, slower to fill and for
    // undici to walk); the one name that would reach its prototype, `__proto__`, is refused in addHeader.
    const out: Record<string, string> = {};
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
    if (
      name === undefined ||
      name === '__proto__' ||
      typeof value !== 'string' ||
      BAD_HEADER_VALUE.test(value)
    ) {
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
    if (body === undefined || body === null) return NO_BODY;
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
function excerptOf(bytes: Uint8Array, token: string): string | undefined {
  if (bytes.byteLength === 0) return undefined;
  let text = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    Math.min(bytes.byteLength, 4 * EXCERPT_CHARS),
  ).toString('utf8');
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
 * One call: what it has sent so far (for its error and its span), where its current attempt goes, and its
 * cancellation (the caller's signal and the call's time budget). It is itself the signal handed to undici
 * (an emitter with `once` / `removeListener`, which undici accepts): cheaper per call than an
 * `AbortController`, whose signal costs a few microseconds to create and to listen to.
 */
class Call {
  attempts = 0;
  status: number | undefined = undefined;
  /** Where the current attempt goes; `target` is its parsed URL when it was not a plain path. */
  origin = '';
  path = '';
  target: URL | undefined = undefined;
  private readonly deadline: number;
  private readonly timer: NodeJS.Timeout;
  private onCallerAbort: (() => void) | undefined = undefined;
  private listeners: Array<() => void> = [];
  /** undici reads these two. */
  aborted = false;
  reason: Error | undefined = undefined;
  /** Why: the caller's signal, or the time budget. */
  callerAborted = false;
  timedOut = false;

  constructor(
    readonly method: string,
    private readonly caller: AbortSignal | undefined,
    timeoutMs: number,
    readonly recorder: HotglueProviderCallRecorder | undefined,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.timer = setTimeout(onCallTimeout, timeoutMs, this);
    this.timer.unref();
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

  /** The call's target for errors and spans: origin and path, the query redacted. */
  url(): string | undefined {
    if (this.origin === '') return undefined;
    return this.target === undefined ? `${this.origin}${this.path}` : redactedUrl(this.target);
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

  /** @internal the time budget ran out. */
  fire(): void {
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

function onCallTimeout(call: Call): void {
  call.timedOut = true;
  call.fire();
}
