import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { HotglueClient, HotglueModule, HotglueWebhooksModule } from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';

const SECRET = 'whsec-credentials-eviction-spec';
let app: INestApplication | undefined;
let emulator: HotglueEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  await app?.close();
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('a connection webhook evicts the cached credentials of that tenant and entity', () => {
  it('serves the new token after hotglue reports the link changed, without fresh: true', async () => {
    emulator = await HotglueEmulator.start({ jwtPublicKeys: [generateTestSigningKey().publicKey] });
    const moduleRef = await Test.createTestingModule({
      imports: [
        HotglueModule.forRoot({
          envId: emulator.envId,
          signingKey: generateTestSigningKey().privateKeyBase64,
          apiUrl: emulator.url,
          secretApiKey: emulator.secretApiKey,
          flowId: emulator.defaultFlowId,
        }),
        HotglueWebhooksModule.forRoot({ secret: SECRET }),
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.listen(0, '127.0.0.1');
    emulator.setWebhook({
      url: `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/hotglue/webhooks`,
      secret: SECRET,
    });
    const client = app.get(HotglueClient);
    const delivered = () => emulator!.webhookDeliveries.filter((d) => d.status === 200).length;
    const link = (token: string) =>
      emulator!.linkSource(undefined, 'acme', {
        tap: 'salesforce',
        config: { access_token: token, expires_in: 3600 },
      });

    link('first-token');
    await until(() => delivered() === 1);
    expect((await client.getSourceCredentials('acme', 'salesforce')).accessToken).toBe('first-token');
    expect((await client.getSourceCredentials('acme', 'salesforce')).accessToken).toBe('first-token'); // cached

    link('second-token');
    await until(() => delivered() === 2);
    expect((await client.getSourceCredentials('acme', 'salesforce')).accessToken).toBe('second-token');
    const fetches = emulator.requests.filter((r) => r.path.endsWith('/acme/linkedSources'));
    expect(fetches).toHaveLength(2);
  });
});
