export { type ApiProbeResult, probeApi } from './api-probe.js';
export {
  DEFAULT_HOTGLUE_HEALTH_CACHE_MS,
  DEFAULT_HOTGLUE_HEALTH_TIMEOUT_MS,
  type HotglueHealthCheckOptions,
  HotglueHealthIndicator,
} from './hotglue.health.js';
