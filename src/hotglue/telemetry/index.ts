export { loadHotglueTelemetry } from './load-telemetry.js';
export {
  type HotglueCallInfo,
  type HotglueCallRecorder,
  type HotglueProviderCallInfo,
  type HotglueProviderCallRecorder,
  type HotglueTelemetry,
  type HotglueWebhookJobOutcome,
  type HotglueWebhookJobRecorder,
  type HotglueWebhookOutcome,
  type HotglueWebhookQueueSnapshot,
  NOOP_TELEMETRY,
} from './telemetry.js';
export {
  HOTGLUE_ATTR,
  HOTGLUE_INSTRUMENTATION_SCOPE,
  HOTGLUE_METRICS,
  SEMCONV,
  statusClass,
} from './telemetry-names.js';
