/** What one hotglue call reports to telemetry; created per call by `HotglueTelemetry.startClientCall`. */
export interface HotglueCallRecorder {
  /** After each attempt: its status (or failure code), duration and whether another attempt follows. */
  attempt(event: {
    readonly status?: number;
    readonly errorCode?: string;
    readonly durationMs: number;
    readonly willRetry: boolean;
  }): void;
  /** Once, when the call resolves (`error` undefined) or rejects. */
  end(error?: unknown): void;
}

/** What a hotglue call is, as telemetry may see it: no key, no token, no query string. */
export interface HotglueCallInfo {
  readonly operation: string;
  readonly method: string;
  /** The endpoint's path template, e.g. `/{env}/{flow}/{tenant}/linkedSources` (low cardinality). */
  readonly pathTemplate: string;
  /** The API's base URL (origin, host and port are read from it). */
  readonly baseUrl: URL;
  /**
   * The path as sent, without the query (which may hold `token`). A function: it is built only when a span
   * records it, so an app with the API but no SDK does not pay for it.
   */
  readonly path: () => string;
  readonly tenantId: string | undefined;
  readonly auth: 'secret' | 'tenant';
}

/** What one provider call (`HotglueClient.provider(...)`) is, as telemetry may see it: no token, no query. */
export interface HotglueProviderCallInfo {
  /** The registry id (tap / connector id), e.g. `salesforce`. */
  readonly provider: string;
  readonly method: string;
  /** Spans only, never metrics (unbounded cardinality). */
  readonly tenantId: string;
}

/** What one provider call reports, once, when it ends. */
export interface HotglueProviderCallRecorder {
  /**
   * The call ended: `url` is origin and path only (spans only), `status` the last HTTP status (absent when none
   * arrived), `attempts` how many requests were sent, `error` the failure if the call rejected.
   */
  end(outcome: {
    readonly url?: string;
    readonly status?: number;
    readonly attempts: number;
    readonly error?: unknown;
  }): void;
}

/** Outcome of one received webhook delivery, for `recordWebhookDelivery` (the webhook kit reports it). */
export type HotglueWebhookOutcome = 'processed' | 'queued' | 'duplicate' | 'rejected' | 'failed';

/** The end of one try of a queued webhook delivery (queue mode). */
export type HotglueWebhookJobOutcome = 'succeeded' | 'failed' | 'dead-letter';

/** What one try of a queued delivery reports; created by `HotglueTelemetry.startWebhookJob`. */
export interface HotglueWebhookJobRecorder {
  /** Once, when the try ends: `failed` will be retried, `dead-letter` had no try left. */
  end(outcome: HotglueWebhookJobOutcome, errorType?: string): void;
}

/** A look at the webhook queue, taken when metrics are collected. */
export interface HotglueWebhookQueueSnapshot {
  /** Deliveries waiting or delayed (retries waiting for their back-off). */
  readonly depth: number;
  /** Age of the oldest waiting delivery, in ms (0 when none waits). */
  readonly oldestWaitingAgeMs: number;
  /** Deliveries whose tries are exhausted, kept failed until retried. */
  readonly deadLetters: number;
}

/**
 * The module's telemetry sink. `NOOP_TELEMETRY` when `@opentelemetry/api` is not installed (or telemetry
 * is off): every method does nothing, and the hot paths skip even their clock reads (`enabled` is false).
 */
export interface HotglueTelemetry {
  readonly enabled: boolean;
  /** A token was signed in `durationMs`. */
  tokenSigned(durationMs: number): void;
  /** `getToken` served a cached (or in-flight) token. */
  cacheHit(): void;
  /** `getToken` had to sign. */
  cacheMiss(): void;
  /** Starts the client span of one hotglue call; `undefined` when disabled. */
  startClientCall(info: HotglueCallInfo): HotglueCallRecorder | undefined;
  /** A webhook delivery was received, with its outcome (hook for the webhook kit). */
  recordWebhookDelivery(outcome: HotglueWebhookOutcome): void;
  /** W3C `traceparent` of the active span (the HTTP delivery), carried by a queued job; undefined without one. */
  webhookTraceparent(): string | undefined;
  /**
   * Starts the CONSUMER span of one try of a queued delivery, linked to the span of the HTTP request that
   * queued it (`traceparent`); undefined when disabled.
   */
  startWebhookJob(info: {
    readonly deliveryId: string;
    readonly attempt: number;
    readonly traceparent?: string;
  }): HotglueWebhookJobRecorder | undefined;
  /** Reports the queue's depth, oldest waiting age and dead letters each time metrics are collected. */
  observeWebhookQueue(probe: () => Promise<HotglueWebhookQueueSnapshot>): void;
  /** Starts the span of one provider call; `undefined` when disabled. Optional for hand-written sinks. */
  startProviderCall?(info: HotglueProviderCallInfo): HotglueProviderCallRecorder | undefined;
}

const noop = (): void => {};

/** Telemetry that records nothing. */
export const NOOP_TELEMETRY: HotglueTelemetry = Object.freeze({
  enabled: false,
  tokenSigned: noop,
  cacheHit: noop,
  cacheMiss: noop,
  startClientCall: () => undefined,
  recordWebhookDelivery: noop,
  webhookTraceparent: () => undefined,
  startWebhookJob: () => undefined,
  observeWebhookQueue: noop,
  startProviderCall: () => undefined,
});
