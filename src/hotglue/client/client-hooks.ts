/** The auth mode of one call: the secret key alone, or the public key plus a tenant token where accepted. */
export type HotglueAuthMode = 'secret' | 'tenant';

/** What `onRequest` receives before each attempt. Never holds a key or a token. */
export interface HotglueRequestEvent {
  /** Name of the client method, e.g. `getLinkedSources`. */
  readonly operation: string;
  readonly method: string;
  /** Path and query as sent, with `token` replaced by `[REDACTED]`. */
  readonly path: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly auth: HotglueAuthMode;
}

/** What `onResponse` receives after each attempt. Never holds a key or a token. */
export interface HotglueResponseEvent extends HotglueRequestEvent {
  /** HTTP status, absent when no response arrived (timeout, reset, abort). */
  readonly status?: number;
  /** Error code when the attempt failed without a usable response, e.g. `HOTGLUE_TIMEOUT`, `ECONNRESET`. */
  readonly errorCode?: string;
  /** From sending to the end of the body (or the failure), ms. */
  readonly durationMs: number;
  /** Whether the client will send another attempt. */
  readonly willRetry: boolean;
}

/** Metrics/tracing hook called before each attempt (option `onRequest`). Its exceptions are ignored. */
export type HotglueRequestHook = (event: HotglueRequestEvent) => void;
/** Metrics/tracing hook called after each attempt (option `onResponse`). Its exceptions are ignored. */
export type HotglueResponseHook = (event: HotglueResponseEvent) => void;
