import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator, REDACTED } from '../../src/hotglue-testing/index.js';
import { call, pathOf, signToken } from './emulator-helpers.js';

/** The request log, its redaction, the logger's lines (canary secrets) and CORS. */
describe('HotglueEmulator request log, logger and CORS', () => {
  const key = generateTestSigningKey();
  const cleanup: HotglueEmulator[] = [];
  afterEach(async () => {
    for (const e of cleanup.splice(0)) await e.close();
  });

  it('records method, raw path, query with token redacted, key kind, token state and status', async () => {
    const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey] });
    cleanup.push(emulator);
    const token = await signToken(key.privateKey, 'a b');
    const path = pathOf(emulator.envId, emulator.defaultFlowId, 'a b', 'linkedSources');
    await call(emulator, 'GET', path, { key: 'public', query: { token, config: 'true' } });
    await call(emulator, 'GET', path, { key: 'public', query: { token: 'bogus' } });
    await call(emulator, 'GET', path, { key: 'none' });
    await call(emulator, 'GET', path, { key: { raw: 'nope' } });
    await call(emulator, 'GET', path, { key: 'secret' });
    expect(emulator.requests).toEqual([
      {
        method: 'GET',
        path: `/${emulator.envId}/${emulator.defaultFlowId}/a%20b/linkedSources`,
        query: { token: REDACTED, config: 'true' },
        keyKind: 'public',
        token: 'valid',
        status: 200,
      },
      expect.objectContaining({
        keyKind: 'public',
        token: 'invalid',
        status: 401,
        query: { token: REDACTED },
      }),
      expect.objectContaining({ keyKind: 'none', token: 'absent', status: 401 }),
      expect.objectContaining({ keyKind: 'invalid', status: 401 }),
      expect.objectContaining({ keyKind: 'secret', token: 'absent', status: 200 }),
    ]);
    expect(JSON.stringify(emulator.requests)).not.toContain(token);
    emulator.clearRequests();
    expect(emulator.requests).toEqual([]);
  });

  it('counts TCP connections: a keep-alive client reuses one', async () => {
    const emulator = await HotglueEmulator.start();
    cleanup.push(emulator);
    const { Agent } = await import('undici');
    const agent = new Agent({ connections: 1 });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await request(`${emulator.url}/${emulator.envId}/flows/supported`, {
          headers: { 'x-api-key': emulator.secretApiKey },
          dispatcher: agent,
        });
        await res.body.dump();
      }
    } finally {
      await agent.close();
    }
    expect(emulator.connections).toBe(1);
  });

  it('canary: no logger line ever contains an API key or a token', async () => {
    const canary = `CANARY${randomBytes(8).toString('hex')}`;
    const lines: string[] = [];
    const emulator = await HotglueEmulator.start({
      publicApiKey: `pk_${canary}_pub`,
      secretApiKey: `sk_${canary}_sec`,
      jwtPublicKeys: [key.publicKey],
      logger: (line) => lines.push(line),
    });
    cleanup.push(emulator);
    const good = await signToken(key.privateKey, 'acme');
    const expired = await signToken(key.privateKey, 'acme', { expiresIn: -3600 });
    const foreign = await signToken(key.privateKey, 'other');
    const tokens = [good, expired, foreign, `${canary}.not.jwt`];
    const linked = pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'linkedSources');
    for (const token of tokens) {
      await call(emulator, 'GET', linked, { key: 'public', query: { token, config: 'true' } });
      await call(emulator, 'POST', linked, {
        key: 'public',
        query: { token },
        body: { source: { tap: 'csv' } },
      });
    }
    await call(emulator, 'GET', linked, { key: { raw: `wrong_${canary}` } });
    await call(emulator, 'GET', linked, { key: 'secret' });
    emulator.injectFault({ kind: 'status', status: 500 });
    await call(emulator, 'GET', linked, { key: 'secret', query: { token: good } });
    await call(emulator, 'POST', pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'jobs'), {
      key: 'secret',
    });

    expect(lines.length).toBeGreaterThan(10);
    const secrets = [emulator.publicApiKey, emulator.secretApiKey, canary, ...tokens];
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
    expect(lines.some((line) => line.includes(`token=${REDACTED}`))).toBe(true);
  });

  it('CORS: preflight allows x-api-key and content-type; answers echo the Origin', async () => {
    const emulator = await HotglueEmulator.start();
    cleanup.push(emulator);
    const url = `${emulator.url}${pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'linkedSources')}`;
    const preflight = await request(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key,content-type',
      },
    });
    await preflight.body.dump();
    // 200, like every success: the widget treats anything else as a failure.
    expect(preflight.statusCode).toBe(200);
    expect(preflight.headers['access-control-max-age']).toBeDefined();
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/x-api-key/);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/content-type/);
    expect(String(preflight.headers['access-control-allow-methods'])).toMatch(
      /GET.*POST.*PUT.*PATCH.*DELETE/,
    );

    const actual = await call(emulator, 'GET', new URL(url).pathname, {
      key: 'secret',
      headers: { origin: 'http://localhost:3000' },
    });
    expect(actual.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const error = await call(emulator, 'GET', new URL(url).pathname, { key: 'none' });
    expect(error.headers['access-control-allow-origin']).toBe('*');
  });
});
