// Types only: erased at build time, so this file loads nothing. The API object arrives as a parameter from
// `loadHotglueTelemetry`, which imports it lazily.
import type * as OtelApi from '@opentelemetry/api';
import type {
  HotglueCallInfo,
  HotglueCallRecorder,
  HotglueProviderCallInfo,
  HotglueProviderCallRecorder,
  HotglueTelemetry,
  HotglueWebhookJobOutcome,
  HotglueWebhookOutcome,
  HotglueWebhookQueueSnapshot,
} from './telemetry.js';
import {
  errorType,
  HOTGLUE_ATTR,
  HOTGLUE_INSTRUMENTATION_SCOPE,
  HOTGLUE_METRICS,
  SEMCONV,
  statusClass,
} from './telemetry-names.js';

/** The parts of `@opentelemetry/api` this library uses. */
export type OtelApiSubset = Pick<typeof OtelApi, 'metrics' | 'trace' | 'SpanKind' | 'SpanStatusCode'>;

/**
 * Telemetry over `@opentelemetry/api`: counters and histograms from the global meter provider, a CLIENT
 * span per hotglue call from the global tracer provider. With the API but no SDK registered, both are the
 * API's no-op implementations. Spans and metrics never carry a key, a token or a query string; tenant ids go
 * on spans only (unbounded cardinality has no place on metrics).
 */
export function createOtelTelemetry(api: OtelApiSubset, environment: string | undefined): HotglueTelemetry {
  const meter = api.metrics.getMeter(HOTGLUE_INSTRUMENTATION_SCOPE);
  const tracer = api.trace.getTracer(HOTGLUE_INSTRUMENTATION_SCOPE);
  const base: OtelApi.Attributes =
    environment === undefined ? {} : { [HOTGLUE_ATTR.environment]: environment };

  const tokensSigned = meter.createCounter(HOTGLUE_METRICS.tokensSigned, {
    description: 'Tenant tokens signed.',
    unit: '{token}',
  });
  const cacheHits = meter.createCounter(HOTGLUE_METRICS.cacheHits, {
    description: 'getToken calls served from the token cache.',
    unit: '{call}',
  });
  const cacheMisses = meter.createCounter(HOTGLUE_METRICS.cacheMisses, {
    description: 'getToken calls that had to sign.',
    unit: '{call}',
  });
  const signingDuration = meter.createHistogram(HOTGLUE_METRICS.signingDuration, {
    description: 'Duration of one RS256 token signing.',
    unit: 's',
  });
  const clientDuration = meter.createHistogram(HOTGLUE_METRICS.clientDuration, {
    description: 'Duration of HTTP client requests to the hotglue API (one per attempt).',
    unit: 's',
  });
  const retries = meter.createCounter(HOTGLUE_METRICS.retries, {
    description: 'hotglue API attempts that are retried.',
    unit: '{retry}',
  });
  const webhookDeliveries = meter.createCounter(HOTGLUE_METRICS.webhookDeliveries, {
    description: 'hotglue webhook deliveries received, by outcome.',
    unit: '{delivery}',
  });

  const jobAttempts = meter.createCounter(HOTGLUE_METRICS.webhookJobAttempts, {
    description: 'Tries of queued webhook deliveries, by outcome (succeeded, failed, dead-letter).',
    unit: '{attempt}',
  });
  const jobDuration = meter.createHistogram(HOTGLUE_METRICS.webhookJobDuration, {
    description: 'Duration of one try of a queued webhook delivery (all its handlers).',
    unit: 's',
  });

  const providerDuration = meter.createHistogram(HOTGLUE_METRICS.providerDuration, {
    description: 'Duration of calls to a provider API through HotglueClient.provider, all attempts included.',
    unit: 's',
  });

  // The API's no-op meter hands out one shared instrument per kind; an SDK's meter, distinct ones. A meter
  // is bound at init (the metrics API has no proxy), so this holds for the module's lifetime.
  const metricsOff = providerDuration === clientDuration;
  // With no tracer provider registered, the API's global provider is its proxy with no delegate yet (its
  // public `getDelegateTracer` answers undefined) and every span would be a no-op one. Asked per call: an SDK
  // registered after init takes over the proxy, and spans start from then on.
  const tracerProvider = api.trace.getTracerProvider() as {
    getDelegateTracer?: (name: string) => unknown;
  };
  const tracingOff = (): boolean =>
    typeof tracerProvider.getDelegateTracer === 'function' &&
    tracerProvider.getDelegateTracer(HOTGLUE_INSTRUMENTATION_SCOPE) === undefined;

  const providerCommon = new Map<string, OtelApi.Attributes>();
  const providerAttrs = new Map<string, OtelApi.Attributes>();

  // Per (operation, method): the attributes every metric point and span of such a call shares. Built once,
  // so a call allocates only what differs.
  const commonByCall = new Map<string, OtelApi.Attributes>();
  const commonOf = (info: HotglueCallInfo): OtelApi.Attributes => {
    const key = `${info.method} ${info.operation}`;
    let common = commonByCall.get(key);
    if (!common) {
      const url = info.baseUrl;
      common = Object.freeze({
        ...base,
        [SEMCONV.method]: info.method,
        [SEMCONV.serverAddress]: url.hostname,
        [SEMCONV.serverPort]: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
        [HOTGLUE_ATTR.operation]: info.operation,
      });
      commonByCall.set(key, common);
    }
    return common;
  };

  return {
    enabled: true,
    tokenSigned(durationMs) {
      tokensSigned.add(1, base);
      signingDuration.record(durationMs / 1000, base);
    },
    cacheHit() {
      cacheHits.add(1, base);
    },
    cacheMiss() {
      cacheMisses.add(1, base);
    },
    recordWebhookDelivery(outcome: HotglueWebhookOutcome) {
      webhookDeliveries.add(1, { ...base, [HOTGLUE_ATTR.outcome]: outcome });
    },
    webhookTraceparent() {
      const context = api.trace.getActiveSpan()?.spanContext();
      if (!context || !api.trace.isSpanContextValid(context)) return undefined;
      return `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
    },
    startWebhookJob(info) {
      const parent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(info.traceparent ?? '');
      const links = parent
        ? [
            {
              context: {
                traceId: parent[1]!,
                spanId: parent[2]!,
                traceFlags: Number.parseInt(parent[3]!, 16),
                isRemote: true,
              },
            },
          ]
        : [];
      const span = tracer.startSpan('hotglue.webhook process', {
        kind: api.SpanKind.CONSUMER,
        links,
        attributes: {
          ...base,
          [HOTGLUE_ATTR.deliveryId]: info.deliveryId,
          [HOTGLUE_ATTR.attempt]: info.attempt,
        },
      });
      const started = performance.now();
      return {
        end(outcome: HotglueWebhookJobOutcome, type?: string) {
          const attributes = { ...base, [HOTGLUE_ATTR.jobOutcome]: outcome };
          jobAttempts.add(1, attributes);
          jobDuration.record((performance.now() - started) / 1000, attributes);
          span.setAttribute(HOTGLUE_ATTR.jobOutcome, outcome);
          if (outcome !== 'succeeded') {
            span.setStatus({ code: api.SpanStatusCode.ERROR });
            if (type) span.setAttribute(SEMCONV.errorType, type);
          }
          span.end();
        },
      };
    },
    startProviderCall(info: HotglueProviderCallInfo): HotglueProviderCallRecorder | undefined {
      // Nothing to record at all: no span, no clock read, no recorder.
      if (metricsOff && tracingOff()) return undefined;
      const commonKey = `${info.method} ${info.provider}`;
      let common = providerCommon.get(commonKey);
      if (!common) {
        common = Object.freeze({
          ...base,
          [HOTGLUE_ATTR.provider]: info.provider,
          [SEMCONV.method]: info.method,
        });
        if (providerCommon.size < 1000) providerCommon.set(commonKey, common);
      }
      const shared = common;
      const span = tracer.startSpan(commonKey, { kind: api.SpanKind.CLIENT, attributes: shared });
      const recording = span.isRecording();
      // Nothing would record this call (no meter provider, span not sampled or no tracer provider): no
      // recorder, so the call skips its clock reads and attribute lookups. A non-recording span needs no end.
      if (!recording && metricsOff) return undefined;
      const started = performance.now();
      // The tenant goes on the span only: metrics get bounded attributes (no tenant, no host, no query).
      if (recording) span.setAttribute(HOTGLUE_ATTR.tenantId, info.tenantId);
      return {
        end({ url, status, attempts, error }) {
          const type = errorType(status, error);
          // One frozen attribute set per (provider, method, status, attempts, error type): a call allocates none.
          const key = `${commonKey} ${status} ${attempts} ${type}`;
          let attrs = providerAttrs.get(key);
          if (!attrs) {
            attrs = Object.freeze({
              ...shared,
              [HOTGLUE_ATTR.statusClass]: statusClass(status),
              [HOTGLUE_ATTR.attempts]: attempts,
              ...(status === undefined ? {} : { [SEMCONV.statusCode]: status }),
              ...(type === undefined ? {} : { [SEMCONV.errorType]: type }),
            });
            if (providerAttrs.size < 10_000) providerAttrs.set(key, attrs);
          }
          providerDuration.record((performance.now() - started) / 1000, attrs);
          if (!recording) {
            span.end();
            return;
          }
          // Origin and path: the query was redacted, but a span does not need it.
          if (url !== undefined) span.setAttribute(SEMCONV.urlFull, url.split('?')[0]!);
          if (status !== undefined) span.setAttribute(SEMCONV.statusCode, status);
          span.setAttribute(HOTGLUE_ATTR.attempts, attempts);
          if (attempts > 1) span.setAttribute(SEMCONV.resendCount, attempts - 1);
          if (type !== undefined) {
            span.setAttribute(SEMCONV.errorType, type);
            span.setStatus({
              code: api.SpanStatusCode.ERROR,
              message: error instanceof Error ? error.name : type,
            });
          }
          span.end();
        },
      };
    },
    observeWebhookQueue(probe: () => Promise<HotglueWebhookQueueSnapshot>) {
      const depth = meter.createObservableGauge(HOTGLUE_METRICS.webhookQueueDepth, {
        description: 'Queued webhook deliveries waiting or delayed (retries waiting for their back-off).',
        unit: '{delivery}',
      });
      const oldest = meter.createObservableGauge(HOTGLUE_METRICS.webhookQueueOldestAge, {
        description: 'Age of the oldest webhook delivery waiting to run.',
        unit: 's',
      });
      const dead = meter.createObservableGauge(HOTGLUE_METRICS.webhookDeadLetters, {
        description: 'Webhook deliveries whose tries are exhausted, kept failed until retried.',
        unit: '{delivery}',
      });
      meter.addBatchObservableCallback(
        async (result) => {
          // Redis unreachable: report nothing this round rather than fail the collection.
          const snapshot = await probe().catch(() => undefined);
          if (!snapshot) return;
          result.observe(depth, snapshot.depth, base);
          result.observe(oldest, snapshot.oldestWaitingAgeMs / 1000, base);
          result.observe(dead, snapshot.deadLetters, base);
        },
        [depth, oldest, dead],
      );
    },
    startClientCall(info: HotglueCallInfo): HotglueCallRecorder {
      const common = commonOf(info);
      const span = tracer.startSpan(`${info.method} ${info.pathTemplate}`, {
        kind: api.SpanKind.CLIENT,
        attributes: common,
      });
      // Without an SDK (or when sampled out) the span records nothing: skip building what it would drop.
      const recording = span.isRecording();
      if (recording) {
        span.setAttributes({
          // Origin and path only: the query may hold the tenant token.
          [SEMCONV.urlFull]: `${info.baseUrl.origin}${info.path()}`,
          [SEMCONV.urlTemplate]: info.pathTemplate,
          [HOTGLUE_ATTR.auth]: info.auth,
          ...(info.tenantId === undefined ? {} : { [HOTGLUE_ATTR.tenantId]: info.tenantId }),
        });
      }
      let attempts = 0;
      let lastStatus: number | undefined;
      return {
        attempt(event) {
          attempts++;
          lastStatus = event.status;
          const attrs: OtelApi.Attributes = {
            ...common,
            [HOTGLUE_ATTR.statusClass]: statusClass(event.status),
            ...(event.status === undefined ? {} : { [SEMCONV.statusCode]: event.status }),
          };
          const type = errorType(
            event.status,
            event.errorCode === undefined ? undefined : { code: event.errorCode },
          );
          if (type !== undefined) attrs[SEMCONV.errorType] = type;
          clientDuration.record(event.durationMs / 1000, attrs);
          if (event.willRetry)
            retries.add(1, { ...common, [HOTGLUE_ATTR.statusClass]: statusClass(event.status) });
        },
        end(error) {
          if (!recording) {
            span.end();
            return;
          }
          if (lastStatus !== undefined) span.setAttribute(SEMCONV.statusCode, lastStatus);
          if (attempts > 1) span.setAttribute(SEMCONV.resendCount, attempts - 1);
          const type = errorType(lastStatus, error);
          if (type !== undefined && (error !== undefined || (lastStatus ?? 0) >= 400)) {
            span.setAttribute(SEMCONV.errorType, type);
            // The error's class only: messages are redacted already, but a span is no place to test that.
            span.setStatus({
              code: api.SpanStatusCode.ERROR,
              message: error instanceof Error ? error.name : type,
            });
          }
          span.end();
        },
      };
    },
  };
}
