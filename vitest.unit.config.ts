import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:unit`: the fast loop. Every spec of `npm test` except those that start a browser, a Redis
 * server or a long-lived child process (the sample app, the CLIs, a script under `--expose-gc`). One-shot
 * system tools a spec runs for its setup (`mkfifo`, `tar`, `openssl`) stay in. `npm test` remains the whole
 * suite; CI runs that.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        'test/browser/**',
        'test/redis-cluster/**',
        'test/cli/**',
        'test/sample/{fastify-start,local-mode,local-mode-loopback,npm-start-throttle,start-prod,two-instances}.e2e.spec.ts',
        'test/webhooks/{lease-renewal,redis-store}.e2e.spec.ts',
        'test/telemetry/otel-absent.spec.ts',
        'test/emulator/request-log-retention.spec.ts',
      ],
    },
  }),
);
