import type { INestApplication } from '@nestjs/common';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { createSampleApp } from '../../src/sample/create-sample-app.js';
import type { SampleAppOptions } from '../../src/sample/sample-options.js';

/**
 * The sample app as the benchmarks run it: against its own in-process emulator with a generated key, no
 * OpenAPI, no logger. `options` adds to that (rate limit, webhook secret, bench routes). Not listening yet.
 */
export async function createBenchSampleApp(
  authSecret: string,
  options: Partial<SampleAppOptions> = {},
): Promise<{ app: INestApplication; emulator: HotglueEmulator }> {
  const key = generateTestSigningKey('bench-sample');
  const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKeyPem] });
  const app = await createSampleApp(
    {
      authSecret,
      hotglue: {
        envId: emulator.envId,
        signingKey: key.privateKeyBase64,
        apiUrl: emulator.url,
        publicApiKey: emulator.publicApiKey,
        secretApiKey: emulator.secretApiKey,
        flowId: emulator.defaultFlowId,
      },
      docs: false,
      ...options,
    },
    false,
  );
  return { app, emulator };
}
