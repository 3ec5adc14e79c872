import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** One metric data point as the in-memory exporter holds it. */
export interface MetricPoint {
  readonly value: unknown;
  readonly attributes: Record<string, unknown>;
}

/**
 * A real OpenTelemetry SDK (tracer and meter providers) exporting to memory, for specs that read what the
 * library records. `register()` before the app is created, as an app's tracing bootstrap does; `shutdown()`
 * in `afterAll` (it also unregisters the globals, so the next spec file starts without an SDK).
 */
export class TestOtelSdk {
  readonly spans = new InMemorySpanExporter();
  readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Collected only on `collect()`: an interval export would race the assertions.
  private readonly reader = new PeriodicExportingMetricReader({
    exporter: this.metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private readonly tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.spans)],
  });

  register(): void {
    metrics.setGlobalMeterProvider(this.meterProvider);
    trace.setGlobalTracerProvider(this.tracerProvider);
  }

  /** Exports the metrics recorded so far into `metricExporter`. */
  collect(): Promise<void> {
    return this.reader.forceFlush();
  }

  /** Every data point of the named metric, with its attributes, after a collection. */
  async points(name: string): Promise<MetricPoint[]> {
    await this.collect();
    const all =
      this.metricExporter
        .getMetrics()
        .at(-1)
        ?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
    return all
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric) => metric.dataPoints as unknown as MetricPoint[]);
  }

  async shutdown(): Promise<void> {
    await this.meterProvider.shutdown();
    await this.tracerProvider.shutdown();
    metrics.disable();
    trace.disable();
  }
}
