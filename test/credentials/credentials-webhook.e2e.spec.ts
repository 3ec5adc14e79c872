import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  getHotglueClientToken,
  HotglueClient,
  HotglueModule,
  HotglueWebhooksModule,
  hotglueWebhooksOptionsFromEnv,
} from '../../src/hotglue/index.js';
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

describe('a webhook route bound to a named environment', () => {
  const emulators: HotglueEmulator[] = [];
  afterEach(async () => {
    await Promise.all(emulators.splice(0).map((e) => e.close()));
  });

  async function environments() {
    const key = generateTestSigningKey();
    const start = async () => {
      const e = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey] });
      emulators.push(e);
      return e;
    };
    const [home, eu] = [await start(), await start()];
    const options = (e: HotglueEmulator) => ({
      envId: e.envId,
      signingKey: key.privateKeyBase64,
      apiUrl: e.url,
      secretApiKey: e.secretApiKey,
      flowId: e.defaultFlowId,
    });
    return { home, eu, options };
  }

  it("evicts that environment's credentials only, and reads HOTGLUE_<NAME>_WEBHOOK_SECRET", async () => {
    const { home, eu, options } = await environments();
    expect(hotglueWebhooksOptionsFromEnv({ HOTGLUE_EU_WEBHOOK_SECRET: SECRET }, 'eu')).toEqual({
      secret: SECRET,
      environment: 'eu',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        HotglueModule.forRoot(options(home)),
        HotglueModule.forRoot({ name: 'eu', ...options(eu) }),
        HotglueWebhooksModule.forRoot({ path: 'hotglue/eu/webhooks', secret: SECRET, environment: 'eu' }),
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    eu.setWebhook({ url: `${base}/hotglue/eu/webhooks`, secret: SECRET });
    const homeClient = app.get(HotglueClient);
    const euClient = app.get<HotglueClient>(getHotglueClientToken('eu'));
    const link = (e: HotglueEmulator, token: string) =>
      e.linkSource(undefined, 'acme', { tap: 'salesforce', config: { access_token: token } });

    link(home, 'home-1');
    link(eu, 'eu-1');
    await until(() => eu.webhookDeliveries.filter((d) => d.status === 200).length === 1);
    expect((await homeClient.getSourceCredentials('acme', 'salesforce')).accessToken).toBe('home-1');
    expect((await euClient.getSourceCredentials('acme', 'salesforce')).accessToken).toBe('eu-1');

    link(home, 'home-2'); // no webhook route for home: its cache keeps the old token until it expires
    link(eu, 'eu-2');
    await until(() => eu.webhookDeliveries.filter((d) => d.status === 200).length === 2);
    expect((await euClient.getSourceCredentials('acme', 'salesforce')).accessToken).toBe('eu-2');
    expect((await homeClient.getSourceCredentials('acme', 'salesforce')).accessToken).toBe('home-1');
  });

  it('refuses to start when the environment it is bound to is not registered', async () => {
    const { home, options } = await environments();
    const moduleRef = await Test.createTestingModule({
      imports: [
        HotglueModule.forRoot(options(home)),
        HotglueWebhooksModule.forRoot({ secret: SECRET, environment: 'us' }),
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    await expect(app.init()).rejects.toThrow(/"us"/);
  });
});
