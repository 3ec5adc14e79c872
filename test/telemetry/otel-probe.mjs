// Registers `otel-probe-hooks.mjs`: records (and with OTEL_PROBE_BLOCK=1 refuses) every resolution of an
// `@opentelemetry/*` package, as if it were not installed.
import { register } from 'node:module';

register('./otel-probe-hooks.mjs', import.meta.url);
