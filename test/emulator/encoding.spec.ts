import { Client, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { call, pathOf, signToken } from './emulator-helpers.js';

/** Percent-encoded tenant ids: each addresses exactly its own tenant, never a neighbour or a parent path. */
describe('HotglueEmulator path encoding', () => {
  const key = generateTestSigningKey();
  const tenants = [
    'plain',
    'with space',
    'a/b',
    'a',
    'b',
    'ünï-çødé ✓',
    '..',
    '../plain',
    '.',
    '%2F',
    'x?y#z',
  ];
  let emulator: HotglueEmulator;

  beforeAll(async () => {
    emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey] });
    for (const tenant of tenants) emulator.linkSource(undefined, tenant, { tap: 'csv', owner: tenant });
  });
  afterAll(() => emulator.close());

  it.each(tenants)('tenant %j sees exactly its own linked source (secret key)', async (tenant) => {
    const res = await call(
      emulator,
      'GET',
      pathOf(emulator.envId, emulator.defaultFlowId, tenant, 'linkedSources'),
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual([expect.objectContaining({ owner: tenant })]);
  });

  it.each(tenants)('tenant %j with its own token (public key)', async (tenant) => {
    const token = await signToken(key.privateKey, tenant);
    const path = pathOf(emulator.envId, emulator.defaultFlowId, tenant, 'linkedSources');
    const res = await call(emulator, 'GET', path, { key: 'public', query: { token } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([expect.objectContaining({ owner: tenant })]);
  });

  it("a token for 'a/b' does not open tenant 'a' or 'b', and vice versa", async () => {
    const token = await signToken(key.privateKey, 'a/b');
    for (const tenant of ['a', 'b']) {
      const path = pathOf(emulator.envId, emulator.defaultFlowId, tenant, 'linkedSources');
      expect((await call(emulator, 'GET', path, { key: 'public', query: { token } })).status).toBe(403);
    }
  });

  it('raw dot segments and malformed escapes are refused with 400', async () => {
    // A Client sends the path verbatim; `request(url)` would let the URL parser collapse the dots first.
    const client = new Client(emulator.url);
    try {
      for (const path of [
        `/${emulator.envId}/${emulator.defaultFlowId}/../linkedSources`,
        `/${emulator.envId}/${emulator.defaultFlowId}/./linkedSources`,
        `/${emulator.envId}/${emulator.defaultFlowId}/%E0%A4%A/linkedSources`,
      ]) {
        const res = await client.request({
          method: 'GET',
          path,
          headers: { 'x-api-key': emulator.secretApiKey },
        });
        expect(res.statusCode).toBe(400);
        expect(await res.body.json()).toMatchObject({ Code: 'BadRequestError' });
      }
    } finally {
      await client.close();
    }
  });

  it('an env id with dots is one segment; a near miss is 404', async () => {
    const near = emulator.envId.replace(/\./g, '%2E').replace('dev', 'deV');
    const res = await request(`${emulator.url}/${near}/flows/supported`, {
      headers: { 'x-api-key': emulator.secretApiKey },
    });
    expect(res.statusCode).toBe(404);
    await res.body.dump();
    const encoded = emulator.envId.replace(/\./g, '%2E');
    const ok = await request(`${emulator.url}/${encoded}/flows/supported`, {
      headers: { 'x-api-key': emulator.secretApiKey },
    });
    expect(ok.statusCode).toBe(200);
    await ok.body.dump();
  });
});
