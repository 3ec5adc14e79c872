import * as api from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createOtelTelemetry, type OtelApiSubset } from './otel-telemetry.js';

describe('createOtelTelemetry, provider calls', () => {
  afterEach(() => api.trace.disable());

  it('records nothing (no recorder) while no SDK is registered, and spans once a tracer provider is', () => {
    const telemetry = createOtelTelemetry(api as unknown as OtelApiSubset, 'env');
    const info = { provider: 'salesforce', method: 'GET', tenantId: 't1' };
    expect(telemetry.startProviderCall?.(info)).toBeUndefined();

    // Registered after init, as an app may do: the next call starts a real span.
    const spans = new InMemorySpanExporter();
    api.trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
    const recorder = telemetry.startProviderCall?.(info);
    expect(recorder).toBeDefined();
    recorder?.end({ url: 'https://example.my.salesforce.com/me', status: 200, attempts: 1 });
    expect(spans.getFinishedSpans().map((span) => span.name)).toEqual(['GET salesforce']);
  });
});
