import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HotglueApiError, type HotglueClient } from '../../src/hotglue/index.js';
import { createHotglueTestingModule } from '../../src/hotglue-testing/index.js';
import { CANARY_SECRET_KEY, createClient, ENV_ID } from './client-harness.js';
import { json, type ScriptedServer, startScriptedServer } from './scripted-server.js';

/**
 * hotglue publishes `POST /{env}/magicLink` on https://api.hotglue.com only
 * (https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md), so `createMagicLink` goes to
 * `magicLinkUrl` while every other call goes to `apiUrl`. Two loopback servers stand for the two hosts.
 */
let api: ScriptedServer;
let magic: ScriptedServer;
let client: HotglueClient;
let close: () => Promise<void>;

beforeAll(async () => {
  api = await startScriptedServer((_req, res) => json(res, 200, [{ id: 'acme' }]));
  magic = await startScriptedServer((_req, res, _index, body) => {
    // hotglue's error text may echo the key: the client must redact it.
    if (body.includes('"fail"')) json(res, 500, { message: `boom ${CANARY_SECRET_KEY}` });
    else json(res, 200, { url: 'https://connect.example/x', expiresAt: null });
  });
  // Path prefixes on both, so the spec also proves each host keeps its own prefix.
  ({ client, close } = await createClient(`${api.url}/api-prefix`, {
    magicLinkUrl: `${magic.url}/ml-prefix/`,
    http: { maxAttempts: 1 },
  }));
});
afterAll(async () => {
  await close();
  await api.close();
  await magic.close();
});
beforeEach(() => {
  api.requests.length = 0;
  magic.requests.length = 0;
});

describe('createMagicLink goes to magicLinkUrl, not apiUrl', () => {
  it('sends POST /{env}/magicLink to the magic-link host with the secret key; the API host sees nothing', async () => {
    const link = await client.createMagicLink({ tenant: 'acme' });
    expect(link.url).toBe('https://connect.example/x');
    expect(api.requests).toHaveLength(0);
    expect(magic.requests).toHaveLength(1);
    expect(magic.requests[0]).toMatchObject({
      method: 'POST',
      url: `/ml-prefix/${ENV_ID}/magicLink`,
      body: JSON.stringify({ tenant: 'acme' }),
    });
    expect(magic.requests[0]!.headers['x-api-key']).toBe(CANARY_SECRET_KEY);
  });

  it('other calls still go to apiUrl, and the magic-link host sees none of them', async () => {
    await client.listTenants();
    expect(magic.requests).toHaveLength(0);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.url).toBe(`/api-prefix/tenants/${ENV_ID}`);
  });

  it('maps and redacts the magic-link host errors as any other call', async () => {
    const error = await client.createMagicLink({ tenant: 'fail' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueApiError);
    expect(error).toMatchObject({ status: 500, path: `/ml-prefix/${ENV_ID}/magicLink` });
    expect(String((error as Error).message)).not.toContain(CANARY_SECRET_KEY);
    expect(JSON.stringify(error)).not.toContain(CANARY_SECRET_KEY);
    expect(api.requests).toHaveLength(0);
  });
});

describe('magicLinkUrl default and the testing kit', () => {
  it('defaults to https://api.hotglue.com while apiUrl defaults to client-api.hotglue.xyz', async () => {
    const { validateHotglueOptions } = await import('../../src/hotglue/options/validate-options.js');
    const { generateTestSigningKey } = await import('../../src/hotglue-testing/index.js');
    const { options } = validateHotglueOptions({
      envId: ENV_ID,
      signingKey: generateTestSigningKey().privateKeyBase64,
    });
    expect(options.magicLinkUrl).toBe('https://api.hotglue.com');
    expect(options.apiUrl).toBe('https://client-api.hotglue.xyz');
  });

  it('createHotglueTestingModule points the magic-link host at the emulator', async () => {
    const hotglue = await createHotglueTestingModule();
    try {
      const { HotglueClient: Client } = await import('../../src/hotglue/index.js');
      const link = await hotglue.moduleRef.get(Client).createMagicLink({ tenant: 'acme' });
      expect(typeof link.url).toBe('string');
      expect(hotglue.emulator.requests.at(-1)).toMatchObject({
        method: 'POST',
        path: `/${hotglue.emulator.envId}/magicLink`,
      });
    } finally {
      await hotglue.close();
    }
  });
});
