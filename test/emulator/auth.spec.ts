import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { call, hs256ForgedToken, noneToken, pathOf, signToken } from './emulator-helpers.js';

/** API-key kinds and tenant-token checks (see docs/hotglue-reference.md). */
describe('HotglueEmulator auth', () => {
  const key = generateTestSigningKey();
  const otherKey = generateTestSigningKey('other');
  const secondTrusted = generateTestSigningKey('second');
  let emulator: HotglueEmulator;
  const tenant = 'acme';
  const linkedSources = () => pathOf(emulator.envId, emulator.defaultFlowId, tenant, 'linkedSources');

  beforeAll(async () => {
    emulator = await HotglueEmulator.start({
      // KeyObject and JWK forms both verify.
      jwtPublicKeys: [key.publicKey, secondTrusted.publicKey.export({ format: 'jwk' })],
      seed: {
        linkedSources: [
          { tenantId: tenant, source: { tap: 'salesforce', config: { access_token: 'secret-at' } } },
        ],
      },
    });
  });
  afterAll(() => emulator.close());

  const expectError = (res: { status: number; json: unknown }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ Code: code, Message: expect.any(String) });
  };

  it('401 UnauthorizedError without a key or with an unknown key', async () => {
    expectError(await call(emulator, 'GET', linkedSources(), { key: 'none' }), 401, 'UnauthorizedError');
    expectError(
      await call(emulator, 'GET', linkedSources(), { key: { raw: 'pk_wrong' } }),
      401,
      'UnauthorizedError',
    );
  });

  it('403 ForbiddenError for the public key on secret-only routes', async () => {
    const env = emulator.envId;
    for (const path of [
      pathOf('tenants', env),
      pathOf('tenant', env, tenant, 'config'),
      pathOf(env, emulator.defaultFlowId, tenant, 'connectors', 'salesforce', 'accesstoken'),
    ]) {
      expectError(await call(emulator, 'GET', path, { key: 'public' }), 403, 'ForbiddenError');
    }
    const connect = await call(emulator, 'POST', pathOf(env, 'connect'), { key: 'public', body: { tenant } });
    expectError(connect, 403, 'ForbiddenError');
  });

  it('public key + valid token: 200, and config only with config=true', async () => {
    const token = await signToken(key.privateKey, tenant);
    const plain = await call(emulator, 'GET', linkedSources(), { key: 'public', query: { token } });
    expect(plain.status).toBe(200);
    expect((plain.json as object[])[0]).not.toHaveProperty('config');
    const withConfig = await call(emulator, 'GET', linkedSources(), {
      key: 'public',
      query: { token, config: 'true' },
    });
    expect((withConfig.json as Array<{ config: unknown }>)[0]!.config).toEqual({ access_token: 'secret-at' });
  });

  it('accepts a token signed by any registered key (JWK form too)', async () => {
    const token = await signToken(secondTrusted.privateKey, tenant);
    expect((await call(emulator, 'GET', linkedSources(), { key: 'public', query: { token } })).status).toBe(
      200,
    );
  });

  it('public key without a token: 401 when JWT is required', async () => {
    expectError(await call(emulator, 'GET', linkedSources(), { key: 'public' }), 401, 'UnauthorizedError');
  });

  it.each([
    ['expired beyond the leeway', 'expired', () => signToken(key.privateKey, tenant, { expiresIn: -120 })],
    ['alg none', 'algorithm', async () => noneToken(tenant)],
    ['HS256 forged with the public key PEM', 'algorithm', () => hs256ForgedToken(key.publicKeyPem, tenant)],
    ['signed by another key', 'signature', () => signToken(otherKey.privateKey, tenant)],
    ['garbage', 'malformed', async () => 'not.a.jwt'],
  ])('401 for a token that is %s', async (_name, problem, make) => {
    const token = await make();
    const res = await call(emulator, 'GET', linkedSources(), { key: 'public', query: { token } });
    expectError(res, 401, 'UnauthorizedError');
    expect((res.json as { Message: string }).Message).toBe(`Invalid token (${problem})`);
    expect(res.text).not.toContain(token);
  });

  it('tolerates a token that expired within the 30 s leeway', async () => {
    const token = await signToken(key.privateKey, tenant, { expiresIn: -5 });
    expect((await call(emulator, 'GET', linkedSources(), { key: 'public', query: { token } })).status).toBe(
      200,
    );
  });

  it('403 for a token issued for another tenant (path tenant and flows/linked user_id)', async () => {
    const token = await signToken(key.privateKey, 'someone-else');
    expectError(
      await call(emulator, 'GET', linkedSources(), { key: 'public', query: { token } }),
      403,
      'ForbiddenError',
    );
    const flowsLinked = await call(emulator, 'GET', pathOf(emulator.envId, 'flows', 'linked'), {
      key: 'public',
      query: { user_id: tenant, token },
    });
    expectError(flowsLinked, 403, 'ForbiddenError');
  });

  it('the secret key needs no token and sees config', async () => {
    const res = await call(emulator, 'GET', linkedSources(), { query: { config: 'true' } });
    expect((res.json as Array<{ config: unknown }>)[0]!.config).toEqual({ access_token: 'secret-at' });
  });

  it('a cached verification still expires on the emulator clock', async () => {
    let now = Date.now();
    const local = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey], clock: () => now });
    try {
      const path = pathOf(local.envId, local.defaultFlowId, tenant, 'linkedSources');
      const token = await signToken(key.privateKey, tenant, { nowMs: now, expiresIn: 60 });
      expect((await call(local, 'GET', path, { key: 'public', query: { token } })).status).toBe(200);
      now += 95_000; // past exp + 30 s leeway
      expect((await call(local, 'GET', path, { key: 'public', query: { token } })).status).toBe(401);
    } finally {
      await local.close();
    }
  });

  it('requireJwt: false lets the public key in without a token, but never shows config', async () => {
    const local = await HotglueEmulator.start({
      requireJwt: false,
      seed: { linkedSources: [{ tenantId: tenant, source: { tap: 'csv', config: { k: 'v' } } }] },
    });
    try {
      const path = pathOf(local.envId, local.defaultFlowId, tenant, 'linkedSources');
      const res = await call(local, 'GET', path, { key: 'public', query: { config: 'true' } });
      expect(res.status).toBe(200);
      expect((res.json as object[])[0]).not.toHaveProperty('config');
    } finally {
      await local.close();
    }
  });

  it("requireJwt other than true, false or 'widget' is refused at construction, naming the option", () => {
    for (const value of ['true', 'strict', 1, 0]) {
      expect(() => new HotglueEmulator({ requireJwt: value as never })).toThrow(
        /requireJwt must be true, false or 'widget'/,
      );
    }
  });

  it("requireJwt 'widget' and true differ on a route the widget calls without a token", async () => {
    for (const [mode, status] of [
      ['widget', 200],
      [true, 401],
    ] as const) {
      const local = await HotglueEmulator.start({ requireJwt: mode });
      try {
        const path = pathOf(local.envId, local.defaultFlowId, tenant, 'jobs', 'schedule');
        expect((await call(local, 'GET', path, { key: 'public' })).status, String(mode)).toBe(status);
        // A route naming no tenant never needs a token.
        const flows = await call(local, 'GET', pathOf(local.envId, 'flows', 'supported'), { key: 'public' });
        expect(flows.status).toBe(200);
      } finally {
        await local.close();
      }
    }
  });

  it('refuses non-RSA trusted keys at construction', () => {
    expect(() => new HotglueEmulator({ jwtPublicKeys: ['not a pem'] })).toThrow();
  });
});
