import { createHmac, createPublicKey, createSign, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { ConsoleLogger } from '@nestjs/common';
import fc from 'fast-check';
import { importSPKI, jwtVerify, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectNoLeak } from '../../../test/support/leaks.js';
import {
  craftRs256,
  craftUnsigned,
  createTokenHarness,
  decodeJwt,
  type TokenHarness,
} from '../../../test/support/token-harness.js';
import { generateTestSigningKey } from '../../hotglue-testing/signing-keys.js';
import {
  HotglueArgumentError,
  HotglueTenantIdError,
  type HotglueTokenProblem,
  HotglueTokenVerificationError,
} from '../hotglue.errors.js';
import { MAX_TENANT_ID_LENGTH } from '../internal/tenant-id.js';

const key = generateTestSigningKey();
const otherKey = generateTestSigningKey('other');
/** Fixed epoch for fake-clock tests, on a whole second. */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const VALID_ALPHABET = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.@:+=~'];

afterEach(() => {
  vi.useRealTimers();
});

/** Verifies a token without the library: node:crypto over header.payload, and jose from the SPKI PEM. */
async function verifyIndependently(token: string): Promise<ReturnType<typeof decodeJwt>> {
  const decoded = decodeJwt(token);
  const publicKey = createPublicKey(key.publicKeyPem);
  const data = Buffer.from(`${decoded.headerSegment}.${decoded.payloadSegment}`);
  expect(verify('sha256', data, publicKey, decoded.signature)).toBe(true);
  expect(decoded.signature).toHaveLength(256);
  const jose = await jwtVerify(token, await importSPKI(key.publicKeyPem, 'RS256'), { algorithms: ['RS256'] });
  expect(jose.protectedHeader).toStrictEqual({ alg: 'RS256', typ: 'JWT' });
  expect(jose.payload).toStrictEqual(decoded.payload);
  return decoded;
}

async function expectVerificationError(
  harness: TokenHarness,
  token: string,
  problem: HotglueTokenProblem,
  tenantId?: string,
): Promise<HotglueTokenVerificationError> {
  const error = await harness.service.verifyToken(token, tenantId === undefined ? {} : { tenantId }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HotglueTokenVerificationError);
  const typed = error as HotglueTokenVerificationError;
  expect(typed.problem).toBe(problem);
  expect(typed.code).toBe('HOTGLUE_TOKEN_INVALID');
  expect(typed.message.startsWith('token: ')).toBe(true);
  expect(typed.cause).toBeUndefined();
  const parts = [token, ...token.split('.')].filter((part) => part.length >= 8);
  expectNoLeak(typed.message, parts, 'verification error');
  return typed;
}

describe('HotglueTokenService.createToken', () => {
  let harness: TokenHarness;
  beforeAll(async () => {
    harness = await createTokenHarness();
  });

  it('signs an RS256 JWT that verifies independently, with exactly the header and claims of the contract', async () => {
    const before = Math.floor(Date.now() / 1000);
    const result = await harness.service.createToken('acme-corp');
    const after = Math.floor(Date.now() / 1000);
    const { header, payload, headerSegment } = await verifyIndependently(result.token);

    expect(header).toStrictEqual({ alg: 'RS256', typ: 'JWT' });
    expect(Object.keys(header)).toEqual(['alg', 'typ']);
    expect(Buffer.from(headerSegment, 'base64url').toString()).toBe('{"alg":"RS256","typ":"JWT"}');
    expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'sub']);
    expect(payload.sub).toBe('acme-corp');
    const iat = payload.iat as number;
    const exp = payload.exp as number;
    expect(Number.isInteger(iat)).toBe(true);
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(iat).toBeLessThanOrEqual(after);
    expect(exp - iat).toBe(3600);

    expect(result.tenantId).toBe('acme-corp');
    expect(result.issuedAt).toEqual(new Date(iat * 1000));
    expect(result.expiresAt).toEqual(new Date(exp * 1000));
    expect(Object.isFrozen(result)).toBe(true);
    expect(harness.signed).toContain(`${result.token.split('.')[0]}.${result.token.split('.')[1]}`);
  });

  it('never puts iat in the future: it floors the clock to the second', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0 + 999);
    const result = await harness.service.createToken('acme');
    expect(decodeJwt(result.token).payload.iat).toBe(T0 / 1000);
    expect(result.issuedAt.getTime()).toBe(T0);
    expect(result.issuedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(result.expiresAt.getTime()).toBe(T0 + 3_600_000);
  });

  it.each([60, 61, 900, 3599, 3600])('honours ttlSeconds %i: exp - iat === ttl', async (ttl) => {
    const result = await harness.service.createToken('acme', { ttlSeconds: ttl });
    const { payload } = await verifyIndependently(result.token);
    expect((payload.exp as number) - (payload.iat as number)).toBe(ttl);
    expect(result.expiresAt.getTime() - result.issuedAt.getTime()).toBe(ttl * 1000);
  });

  it('uses the module tokenTtlSeconds as the default', async () => {
    const short = await createTokenHarness({ tokenTtlSeconds: 300 });
    const result = await short.service.createToken('acme');
    const { payload } = decodeJwt(result.token);
    expect((payload.exp as number) - (payload.iat as number)).toBe(300);
    expect((await short.service.createToken('acme', { ttlSeconds: 120 })).expiresAt.getTime()).toBe(
      (payload.iat as number) * 1000 + 120_000,
    );
  });

  it('signs a fresh token on every call', async () => {
    const count = harness.signed.length;
    await harness.service.createToken('acme');
    await harness.service.createToken('acme');
    expect(harness.signed.length).toBe(count + 2);
  });

  it.each([59, 3601, 1.5, 0, -60, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses ttlSeconds %s with HotglueArgumentError, signing nothing',
    async (ttl) => {
      const count = harness.signed.length;
      const error = await harness.service.createToken('acme', { ttlSeconds: ttl }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HotglueArgumentError);
      expect((error as HotglueArgumentError).argument).toBe('ttlSeconds');
      expect((error as Error).message).toMatch(/^ttlSeconds: .*60 to 3600/);
      expect(harness.signed.length).toBe(count);
    },
  );
});

describe('HotglueToken when logged', () => {
  it("util.inspect and Nest's ConsoleLogger show it with the JWT redacted; JSON keeps it for the browser", async () => {
    const harness = await createTokenHarness();
    const created = await harness.service.createToken('acme');
    const cached = await harness.service.getToken('acme');
    const verified = await harness.service.verifyToken(created.token);
    for (const record of [created, cached, verified]) {
      const shown = inspect(record);
      expect(shown).toContain("'acme'");
      expect(shown).toContain('[REDACTED]');
      expectNoLeak(shown, [record.token], 'inspect(HotglueToken)');
      expect(JSON.parse(JSON.stringify(record)).token).toBe(record.token);
    }
    let written = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written += String(chunk);
      return true;
    });
    try {
      new ConsoleLogger().log(created);
    } finally {
      write.mockRestore();
    }
    expect(written).toContain('acme');
    expectNoLeak(written, [created.token], 'ConsoleLogger');
  });
});

describe('tenant id grammar (property-based, through the service)', () => {
  let harness: TokenHarness;
  beforeAll(async () => {
    harness = await createTokenHarness();
  });

  const validChar = fc.constantFrom(...VALID_ALPHABET);
  const validId = fc
    .string({ unit: validChar, minLength: 1, maxLength: MAX_TENANT_ID_LENGTH })
    .filter((id) => id !== '.' && !id.includes('..'));
  const validPart = (maxLength: number) => fc.string({ unit: validChar, minLength: 0, maxLength });

  const forbiddenChar = fc.oneof(
    fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028', '\u3000', '\ufeff'),
    fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('\u007f', '\u0085', '\u009f'),
    fc.constantFrom('/', '\\', '?', '#', '%', '"', "'", '<', '>', '&', '*', ',', ';', '|', '`', '$'),
    // Non-ASCII: Latin-1 letters, Cyrillic look-alikes, CJK, astral emoji.
    fc.constantFrom('é', 'ß', 'а', 'е', 'о', '中', '😀'),
    fc.integer({ min: 0x80, max: 0xd7ff }).map((c) => String.fromCharCode(c)),
  );

  const invalidId = fc.oneof(
    fc.constant(''),
    fc.constant('.'),
    fc.string({ unit: validChar, minLength: MAX_TENANT_ID_LENGTH + 1, maxLength: 600 }),
    fc.tuple(validPart(120), forbiddenChar, validPart(120)).map(([a, c, b]) => a + c + b),
    fc.tuple(validPart(120), validPart(120)).map(([a, b]) => `${a}..${b}`),
  );

  it('round-trips every valid id through createToken and verifyToken', async () => {
    await fc.assert(
      fc.asyncProperty(validId, async (id) => {
        const created = await harness.service.createToken(id);
        expect(created.tenantId).toBe(id);
        expect(decodeJwt(created.token).payload.sub).toBe(id);
        const verified = await harness.service.verifyToken(created.token, { tenantId: id });
        expect(verified.tenantId).toBe(id);
        expect(verified.expiresAt).toEqual(created.expiresAt);
      }),
      { numRuns: 100 },
    );
  });

  it('accepts the id shapes hotglue tenants use', async () => {
    for (const id of [
      '1414_1',
      'acme-corp',
      '0b9a3c0e-6f7d-4b7e-9a1f-3c2d1e0f9a8b',
      'ops+billing@example.com',
      'org:42',
      'a',
      'a'.repeat(MAX_TENANT_ID_LENGTH),
    ]) {
      const created = await harness.service.createToken(id);
      await expect(harness.service.verifyToken(created.token, { tenantId: id })).resolves.toMatchObject({
        tenantId: id,
      });
    }
  });

  it('refuses every invalid id with HotglueTenantIdError and never calls the signer', async () => {
    const count = harness.signed.length;
    await fc.assert(
      fc.asyncProperty(invalidId, async (id) => {
        for (const call of [() => harness.service.createToken(id), () => harness.service.getToken(id)]) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(HotglueTenantIdError);
          expect((error as HotglueTenantIdError).code).toBe('HOTGLUE_TENANT_ID_INVALID');
          // The id may hold control characters; the message must not echo it.
          if (id.length >= 4) expect((error as Error).message).not.toContain(id);
        }
      }),
      { numRuns: 300 },
    );
    expect(harness.signed.length).toBe(count);
  });

  it('refuses non-string ids (from untyped callers) without signing', async () => {
    const count = harness.signed.length;
    for (const id of [undefined, null, 42, {}, ['acme']]) {
      await expect(harness.service.createToken(id as unknown as string)).rejects.toMatchObject({
        problem: 'not-a-string',
      });
      await expect(harness.service.getToken(id as unknown as string)).rejects.toBeInstanceOf(
        HotglueTenantIdError,
      );
    }
    expect(harness.signed.length).toBe(count);
  });

  it('fails verifyToken(createToken(a), { tenantId: b }) with problem "tenant" for every a != b', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(validId, validId).filter(([a, b]) => a !== b),
        async ([a, b]) => {
          const { token } = await harness.service.createToken(a);
          await expectVerificationError(harness, token, 'tenant', b);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('HotglueTokenService.verifyToken', () => {
  let harness: TokenHarness;
  beforeAll(async () => {
    harness = await createTokenHarness();
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts its own token and returns its tenant and validity window', async () => {
    const created = await harness.service.createToken('acme');
    const verified = await harness.service.verifyToken(created.token);
    expect(verified).toStrictEqual(created);
    await expect(harness.service.verifyToken(created.token, { tenantId: 'acme' })).resolves.toStrictEqual(
      created,
    );
  });

  it('accepts an RS256 token with the contract claims that the library did not sign itself', async () => {
    const token = craftRs256(
      { alg: 'RS256', typ: 'JWT' },
      { sub: 't1', iat: now(), exp: now() + 60 },
      key.privateKey,
    );
    await expect(harness.service.verifyToken(token, { tenantId: 't1' })).resolves.toMatchObject({
      tenantId: 't1',
    });
  });

  it('refuses alg "none": algorithm', async () => {
    const payload = { sub: 'acme', iat: now(), exp: now() + 600 };
    await expectVerificationError(harness, craftUnsigned({ alg: 'none', typ: 'JWT' }, payload), 'algorithm');
    await expectVerificationError(harness, craftUnsigned({ alg: 'none' }, payload), 'algorithm', 'acme');
  });

  it('refuses HS256 forged with the public key PEM as the HMAC secret: algorithm', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'acme', iat: now(), exp: now() + 600 })).toString(
      'base64url',
    );
    for (const secret of [key.publicKeyPem, key.publicKeyPem.trim()]) {
      const mac = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      await expectVerificationError(harness, `${header}.${payload}.${mac}`, 'algorithm', 'acme');
    }
  });

  it('refuses RS512 and PS256 even when signed with the right key: algorithm', async () => {
    const payload = { sub: 'acme', iat: now(), exp: now() + 600 };
    for (const alg of ['RS512', 'PS256']) {
      const token = await new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(key.privateKey);
      await expectVerificationError(harness, token, 'algorithm');
    }
  });

  it('refuses a token signed by another RSA key: signature', async () => {
    const token = craftRs256(
      { alg: 'RS256', typ: 'JWT' },
      { sub: 'acme', iat: now(), exp: now() + 600 },
      otherKey.privateKey,
    );
    await expectVerificationError(harness, token, 'signature', 'acme');
  });

  it('refuses a token whose payload was swapped after signing: signature', async () => {
    const { token } = await harness.service.createToken('acme');
    const { token: other } = await harness.service.createToken('evil');
    const [h, , s] = token.split('.');
    const swapped = `${h}.${other.split('.')[1]}.${s}`;
    await expectVerificationError(harness, swapped, 'signature', 'evil');
  });

  it('refuses an expired token (fake clock): expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { token } = await harness.service.createToken('acme', { ttlSeconds: 60 });
    vi.setSystemTime(T0 + 59_999);
    await expect(harness.service.verifyToken(token)).resolves.toMatchObject({ tenantId: 'acme' });
    vi.setSystemTime(T0 + 60_000);
    await expectVerificationError(harness, token, 'expired');
    await expectVerificationError(harness, token, 'expired', 'acme');
  });

  it('refuses a crafted token whose exp has passed: expired', async () => {
    const token = craftRs256(
      { alg: 'RS256', typ: 'JWT' },
      { sub: 'acme', iat: now() - 7200, exp: now() - 3600 },
      key.privateKey,
    );
    await expectVerificationError(harness, token, 'expired');
  });

  it('refuses a token whose iat lies in the future: claims', async () => {
    const token = craftRs256(
      { alg: 'RS256', typ: 'JWT' },
      { sub: 'acme', iat: now() + 120, exp: now() + 720 },
      key.privateKey,
    );
    const error = await expectVerificationError(harness, token, 'claims', 'acme');
    expect(error.message).toMatch(/iat/);
  });

  it('accepts a slightly future iat within clockToleranceSeconds', async () => {
    const token = craftRs256(
      { alg: 'RS256', typ: 'JWT' },
      { sub: 'acme', iat: now() + 5, exp: now() + 600 },
      key.privateKey,
    );
    await expect(harness.service.verifyToken(token, { clockToleranceSeconds: 30 })).resolves.toMatchObject({
      tenantId: 'acme',
    });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses clockToleranceSeconds %s with HotglueArgumentError (not as a malformed token)',
    async (clockToleranceSeconds) => {
      const { token } = await harness.service.createToken('acme');
      const error = await harness.service
        .verifyToken(token, { clockToleranceSeconds })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HotglueArgumentError);
      expect((error as HotglueArgumentError).argument).toBe('clockToleranceSeconds');
    },
  );

  it.each([
    ['not a JWT at all', 'not-a-jwt'],
    ['two segments', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0'],
    ['four segments', 'a.b.c.d'],
    ['a header that is not JSON', `${Buffer.from('{oops').toString('base64url')}.e30.c2ln`],
    ['an empty string', ''],
  ])('refuses %s: malformed', async (_name, token) => {
    await expectVerificationError(harness, token, 'malformed');
  });

  it.each([
    ['not JSON', 'nope{'],
    ['a JSON string', '"just a string"'],
    ['a JSON array', '["acme"]'],
  ])('refuses a validly signed token whose payload is %s: malformed', async (_name, json) => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(json).toString('base64url');
    const signature = createSign('RSA-SHA256')
      .update(`${header}.${payload}`)
      .sign(key.privateKey, 'base64url');
    await expectVerificationError(harness, `${header}.${payload}.${signature}`, 'malformed');
  });

  it.each([
    ['sub', { iat: 0, exp: 1 }],
    ['iat', { sub: 'acme', exp: 1 }],
    ['exp', { sub: 'acme', iat: 0 }],
  ])('refuses a token without "%s": claims (with and without tenantId)', async (claim, partial) => {
    const base = now();
    const payload = Object.fromEntries(
      Object.entries(partial).map(([k, v]) => [k, k === 'iat' ? base : k === 'exp' ? base + 600 : v]),
    );
    const token = craftRs256({ alg: 'RS256', typ: 'JWT' }, payload, key.privateKey);
    const error = await expectVerificationError(harness, token, 'claims');
    expect(error.message).toContain(claim);
    await expectVerificationError(harness, token, 'claims', 'acme');
  });

  it('refuses claims of the wrong type: claims', async () => {
    const base = now();
    const cases = [
      { sub: 42, iat: base, exp: base + 600 },
      { sub: 'acme', iat: String(base), exp: base + 600 },
      { sub: 'acme', iat: base, exp: String(base + 600) },
    ];
    for (const payload of cases) {
      const token = craftRs256({ alg: 'RS256', typ: 'JWT' }, payload, key.privateKey);
      await expectVerificationError(harness, token, 'claims');
    }
  });

  it('refuses a token for another tenant: tenant', async () => {
    const { token } = await harness.service.createToken('acme');
    const error = await expectVerificationError(harness, token, 'tenant', 'acme2');
    expect(error.message).not.toContain('acme');
  });
});

describe('HotglueTokenService.getToken (cache)', () => {
  it('returns the cached token on a hit, without signing again', async () => {
    const harness = await createTokenHarness();
    const first = await harness.service.getToken('acme');
    const second = await harness.service.getToken('acme');
    expect(second).toBe(first);
    expect(harness.signed).toHaveLength(1);
    await verifyIndependently(first.token);
    const other = await harness.service.getToken('globex');
    expect(other.token).not.toBe(first.token);
    expect(harness.signed).toHaveLength(2);
  });

  it('re-signs exactly at the refresh margin (default 20% of the TTL), on a fake clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const harness = await createTokenHarness();
    const first = await harness.service.getToken('acme');
    expect(first.issuedAt.getTime()).toBe(T0);
    // TTL 3600 s, margin 0.2: refresh once less than 720 s remain, i.e. from T0 + 2880 s on.
    const refreshAt = T0 + 2_880_000;

    vi.setSystemTime(refreshAt - 1);
    const before = await harness.service.getToken('acme');
    expect(before).toBe(first);
    expect(before.expiresAt.getTime() - Date.now()).toBeGreaterThanOrEqual(720_000);
    expect(harness.signed).toHaveLength(1);

    vi.setSystemTime(refreshAt);
    const after = await harness.service.getToken('acme');
    expect(after).not.toBe(first);
    expect(after.token).not.toBe(first.token);
    expect(after.issuedAt.getTime()).toBe(refreshAt);
    expect(after.expiresAt.getTime()).toBe(refreshAt + 3_600_000);
    expect(harness.signed).toHaveLength(2);
    const { payload } = await verifyIndependently(after.token);
    expect(payload.iat).toBe(refreshAt / 1000);

    // The fresh token is cached in turn.
    vi.setSystemTime(refreshAt + 60_000);
    expect(await harness.service.getToken('acme')).toBe(after);
    expect(harness.signed).toHaveLength(2);
  });

  it('applies a configured TTL and margin, and never returns a token with less than the margin left', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const harness = await createTokenHarness({ tokenTtlSeconds: 600, tokenRefreshMargin: 0.5 });
    const first = await harness.service.getToken('acme');
    const marginMs = 300_000;
    for (const offset of [0, 1_000, 150_000, 299_999]) {
      vi.setSystemTime(T0 + offset);
      const got = await harness.service.getToken('acme');
      expect(got).toBe(first);
      expect(got.expiresAt.getTime() - Date.now()).toBeGreaterThanOrEqual(marginMs);
    }
    vi.setSystemTime(T0 + 300_000);
    const refreshed = await harness.service.getToken('acme');
    expect(refreshed).not.toBe(first);
    expect(refreshed.expiresAt.getTime() - Date.now()).toBe(600_000);
    expect(harness.signed).toHaveLength(2);
  });

  it('replaces a token that would otherwise be returned after it expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const harness = await createTokenHarness({ tokenTtlSeconds: 60 });
    const first = await harness.service.getToken('acme');
    vi.setSystemTime(T0 + 3_600_000);
    const later = await harness.service.getToken('acme');
    expect(later).not.toBe(first);
    await expect(harness.service.verifyToken(later.token, { tenantId: 'acme' })).resolves.toBeDefined();
  });

  it('shares one signing among 100 concurrent calls for one tenant (single-flight)', async () => {
    const harness = await createTokenHarness();
    const results = await Promise.all(Array.from({ length: 100 }, () => harness.service.getToken('acme')));
    expect(harness.signed).toHaveLength(1);
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
    expect(new Set(results).size).toBe(1);
    await verifyIndependently(results[0]!.token);
  });

  it('shares one signing even while the signer is slow, and one per tenant across tenants', async () => {
    const harness = await createTokenHarness();
    const hold = harness.holdSignings();
    const pending = [
      ...Array.from({ length: 50 }, () => harness.service.getToken('acme')),
      ...Array.from({ length: 50 }, () => harness.service.getToken('globex')),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    expect(harness.signed).toHaveLength(2);
    hold.release();
    const results = await Promise.all(pending);
    expect(harness.signed).toHaveLength(2);
    expect(new Set(results.map((r) => r.token)).size).toBe(2);
  });

  it('evicts the least recently used tenant beyond tokenCacheSize', async () => {
    const harness = await createTokenHarness({ tokenCacheSize: 2 });
    const a = await harness.service.getToken('tenant-a');
    const b = await harness.service.getToken('tenant-b');
    const c = await harness.service.getToken('tenant-c');
    expect(harness.signed).toHaveLength(3);
    // b and c are still cached ...
    expect(await harness.service.getToken('tenant-c')).toBe(c);
    expect(await harness.service.getToken('tenant-b')).toBe(b);
    expect(harness.signed).toHaveLength(3);
    // ... a was evicted and is signed again.
    const a2 = await harness.service.getToken('tenant-a');
    expect(a2).not.toBe(a);
    expect(harness.signed).toHaveLength(4);
    expect(decodeJwt(`${harness.signed[3]!}.x`).payload.sub).toBe('tenant-a');
  });

  it('does not cache a failed signing: the waiting callers fail, the next call signs and succeeds', async () => {
    const harness = await createTokenHarness();
    harness.failNextSignings(1);
    const failed = await Promise.allSettled(
      Array.from({ length: 10 }, () => harness.service.getToken('acme')),
    );
    expect(failed.every((r) => r.status === 'rejected')).toBe(true);
    expect(harness.signed).toHaveLength(1);

    const ok = await harness.service.getToken('acme');
    expect(harness.signed).toHaveLength(2);
    await verifyIndependently(ok.token);
    expect(await harness.service.getToken('acme')).toBe(ok);
    expect(harness.signed).toHaveLength(2);
  });

  it('evictToken(tenant) forgets one tenant, evictToken() forgets all', async () => {
    const harness = await createTokenHarness();
    const a = await harness.service.getToken('acme');
    const g = await harness.service.getToken('globex');
    harness.service.evictToken('acme');
    expect(await harness.service.getToken('globex')).toBe(g);
    const a2 = await harness.service.getToken('acme');
    expect(a2).not.toBe(a);
    expect(harness.signed).toHaveLength(3);

    harness.service.evictToken();
    expect(await harness.service.getToken('acme')).not.toBe(a2);
    expect(await harness.service.getToken('globex')).not.toBe(g);
    expect(harness.signed).toHaveLength(5);
  });

  it('createToken does not touch the cache', async () => {
    const harness = await createTokenHarness();
    const cached = await harness.service.getToken('acme');
    await harness.service.createToken('acme');
    expect(await harness.service.getToken('acme')).toBe(cached);
    expect(harness.signed).toHaveLength(2);
  });
});
