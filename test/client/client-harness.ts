import type { LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  HotglueClient,
  HotglueModule,
  type HotglueModuleOptions,
  HotglueTokenService,
} from '../../src/hotglue/index.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';

export const CANARY_PUBLIC_KEY = 'pk_canary_PUBLIC_7f3a9c1e5b2d4f60';
export const CANARY_SECRET_KEY = 'sk_canary_SECRET_0b8e2d6a4c1f9e37';
export const ENV_ID = 'dev.example.hotglue.xyz';
export const FLOW_ID = 'l8odS2mce';

/**
 * A compiled `HotglueModule` pointed at `apiUrl` (and `magicLinkUrl` too, unless overridden), with canary
 * keys; `close()` shuts it (and its pools) down.
 */
export async function createClient(
  apiUrl: string,
  overrides: Partial<HotglueModuleOptions> = {},
  logger?: LoggerService,
): Promise<{ client: HotglueClient; tokens: HotglueTokenService; close: () => Promise<void> }> {
  const key = generateTestSigningKey();
  const builder = Test.createTestingModule({
    imports: [
      HotglueModule.forRoot({
        envId: ENV_ID,
        signingKey: key.privateKeyBase64,
        publicApiKey: CANARY_PUBLIC_KEY,
        secretApiKey: CANARY_SECRET_KEY,
        apiUrl,
        magicLinkUrl: apiUrl,
        flowId: FLOW_ID,
        ...overrides,
      }),
    ],
  });
  // Nest's testing module installs its own quiet logger on compile(); a spec that captures logs passes one.
  if (logger) builder.setLogger(logger);
  const moduleRef = await builder.compile();
  await moduleRef.init();
  return {
    client: moduleRef.get(HotglueClient),
    tokens: moduleRef.get(HotglueTokenService),
    close: () => moduleRef.close(),
  };
}
