/** nestjs-hotglue/health: a `@nestjs/terminus` health indicator for each hotglue environment (optional peer). */
export {
  type HotglueHealthCheckOptions,
  HotglueHealthIndicator,
} from './hotglue.health.js';
