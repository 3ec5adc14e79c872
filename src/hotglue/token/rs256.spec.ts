import { generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import fc from 'fast-check';
import { errors, importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { FUZZ_NOW_SECONDS, fuzzToken } from '../../../test/support/token-fuzz.js';
import { decodeJwt } from '../../../test/support/token-harness.js';
import { generateTestSigningKey } from '../../hotglue-testing/signing-keys.js';
import type { HotglueTokenProblem } from '../hotglue.errors.js';
import { createRs256Signer, type Rs256Verification, signingInput, signRs256, verifyRs256 } from './rs256.js';

const key = generateTestSigningKey();

describe('signingInput', () => {
  it('encodes exactly the RS256 header and the three claims, in a fixed order', () => {
    const input = signingInput({ sub: 'acme', iat: 1_700_000_000, exp: 1_700_003_600 });
    const [header, payload, extra] = input.split('.');
    expect(extra).toBeUndefined();
    expect(Buffer.from(header!, 'base64url').toString()).toBe('{"alg":"RS256","typ":"JWT"}');
    expect(Buffer.from(payload!, 'base64url').toString()).toBe(
      '{"sub":"acme","iat":1700000000,"exp":1700003600}',
    );
  });

  it('drops anything but sub, iat and exp even if an untyped caller passes more', () => {
    const claims = { sub: 'acme', iat: 1, exp: 2, admin: true, kid: 'x' } as unknown as Parameters<
      typeof signingInput
    >[0];
    const payload = signingInput(claims).split('.')[1]!;
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toStrictEqual({
      sub: 'acme',
      iat: 1,
      exp: 2,
    });
  });

  it('escapes the tenant id as JSON (no claim injection)', () => {
    const payload = signingInput({ sub: 'a","admin":true,"x":"', iat: 1, exp: 2 }).split('.')[1]!;
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toStrictEqual({
      sub: 'a","admin":true,"x":"',
      iat: 1,
      exp: 2,
    });
  });
});

describe('signRs256', () => {
  it('produces a compact JWT that node:crypto and jose verify with the public key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const input = signingInput({ sub: 'acme', iat: now, exp: now + 60 });
    const token = await signRs256(input, key.privateKey);
    expect(token.startsWith(`${input}.`)).toBe(true);
    const { signature } = decodeJwt(token);
    expect(verify('sha256', Buffer.from(input), key.publicKey, signature)).toBe(true);
    const { payload, protectedHeader } = await jwtVerify(token, await importSPKI(key.publicKeyPem, 'RS256'), {
      algorithms: ['RS256'],
    });
    expect(protectedHeader).toStrictEqual({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toStrictEqual({ sub: 'acme', iat: now, exp: now + 60 });
  });

  it('is deterministic (RSASSA-PKCS1-v1_5) and depends on the key', async () => {
    const input = signingInput({ sub: 'acme', iat: 1, exp: 61 });
    const a = await signRs256(input, key.privateKey);
    expect(await signRs256(input, key.privateKey)).toBe(a);
    expect(await signRs256(input, generateTestSigningKey('other').privateKey)).not.toBe(a);
  });

  it('rejects (does not throw synchronously) when the key cannot sign', async () => {
    const input = signingInput({ sub: 'acme', iat: 1, exp: 61 });
    await expect(signRs256(input, key.publicKey)).rejects.toThrow();
  });
});

describe('createRs256Signer', () => {
  const inputs = Array.from({ length: 40 }, (_, i) => signingInput({ sub: `tenant-${i}`, iat: 1, exp: 61 }));

  it('signs sequential calls (inline path) exactly as the thread-pool path does', async () => {
    const signer = createRs256Signer(key.privateKey);
    for (const input of inputs.slice(0, 5)) {
      expect(await signer(input)).toBe(await signRs256(input, key.privateKey));
    }
  });

  it('signs a burst (one inline, the rest on the pool) correctly and in order', async () => {
    const signer = createRs256Signer(key.privateKey);
    const burst = await Promise.all(inputs.map((input) => signer(input)));
    const expected = await Promise.all(inputs.map((input) => signRs256(input, key.privateKey)));
    expect(burst).toStrictEqual(expected);
  });

  it('leaves the rest of a burst pending after the first call: only one signature runs in this turn', async () => {
    const signer = createRs256Signer(key.privateKey);
    const settled: number[] = [];
    const calls = inputs.slice(0, 5).map((input, i) => signer(input).then(() => settled.push(i)));
    // After one microtask flush the inline signature has settled; the pooled ones cannot have, since
    // their results arrive through libuv callbacks in a later turn of the event loop.
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toStrictEqual([0]);
    await Promise.all(calls);
    expect(settled.sort()).toStrictEqual([0, 1, 2, 3, 4]);
  });

  it('rejects when the key cannot sign, on both paths', async () => {
    const signer = createRs256Signer(key.publicKey);
    const [inline, pooled] = await Promise.allSettled([signer(inputs[0]!), signer(inputs[1]!)]);
    expect(inline.status).toBe('rejected');
    expect(pooled.status).toBe('rejected');
  });
});

const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const ours = keyPair();
const other = keyPair();

/**
 * The oracle: `verifyToken` as it was with jose (its `jwtVerify` options, the checks after it and its error
 * mapping), on the same clock. verifyRs256 must give the same verdict, problem and message for every token.
 */
async function joseVerdict(
  token: string,
  publicKey: KeyObject,
  nowMs: number,
  tolerance: number,
  subject: string | undefined,
): Promise<Rs256Verification> {
  const refused = (problem: HotglueTokenProblem, detail: string) => ({
    valid: false as const,
    problem,
    detail,
  });
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      algorithms: ['RS256'],
      requiredClaims: ['sub', 'iat', 'exp'],
      clockTolerance: tolerance,
      currentDate: new Date(nowMs),
      ...(subject === undefined ? {} : { subject }),
    });
    const { sub, iat, exp } = payload as { sub: string; iat: number; exp: number };
    if (typeof sub !== 'string' || iat > nowMs / 1000 + tolerance) {
      return refused('claims', '"iat" lies in the future or "sub" is not a string.');
    }
    return { valid: true, claims: { sub, iat, exp } };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return refused('expired', 'has expired; request a new one.');
    if (error instanceof errors.JWTClaimValidationFailed) {
      return error.claim === 'sub' && error.reason === 'check_failed'
        ? refused('tenant', 'was issued for another tenant.')
        : refused('claims', `claim "${error.claim}" is missing or invalid.`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed) {
      return refused('algorithm', 'is not signed with RS256; no other algorithm is accepted.');
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return refused('signature', "signature does not match this environment's key.");
    }
    return refused('malformed', 'is not a well-formed compact JWT.');
  }
}

describe('verifyRs256 against jose (the verifier it replaced)', () => {
  it('gives the same verdict, problem and message as jose on generated tokens', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fuzzToken([ours.privateKey, other.privateKey]),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom(0, 0, 30, 2.5),
        fc.constantFrom(undefined, 'acme', 'other'),
        async (token, ms, tolerance, subject) => {
          const nowMs = FUZZ_NOW_SECONDS * 1000 + ms;
          const expected = await joseVerdict(token, ours.publicKey, nowMs, tolerance, subject);
          const actual = verifyRs256(token, ours.publicKey, {
            nowSeconds: nowMs / 1000,
            toleranceSeconds: tolerance,
            ...(subject === undefined ? {} : { subject }),
          });
          expect(actual).toStrictEqual(expected);
          const outcome = expected.valid ? 'valid' : expected.problem;
          seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        },
      ),
      { numRuns: 1500 },
    );
    // The generator reaches every outcome, so agreement is not vacuous.
    expect([...seen.keys()].sort()).toEqual(
      ['algorithm', 'claims', 'expired', 'malformed', 'signature', 'tenant', 'valid'].sort(),
    );
    // About 7.5% of the runs are valid tokens (97-130 of 1,500 over 8 random seeds), so the bound is 50: a
    // bound of 100 sat inside that spread and failed one CI run in eight.
    expect(seen.get('valid')).toBeGreaterThan(50);
  }, 60_000);

  it.each([
    ['alg none', { alg: 'none' }, 'algorithm'],
    ['HS256', { alg: 'HS256', typ: 'JWT' }, 'algorithm'],
    ['RS512', { alg: 'RS512' }, 'algorithm'],
    ['no alg (as jose: malformed)', { typ: 'JWT' }, 'malformed'],
    ['an unknown crit extension', { alg: 'RS256', crit: ['x'], x: 1 }, 'malformed'],
  ])('refuses a header with %s', (_name, headerObject, problem) => {
    const header = Buffer.from(JSON.stringify(headerObject)).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'acme', iat: FUZZ_NOW_SECONDS, exp: FUZZ_NOW_SECONDS + 60 }),
    ).toString('base64url');
    const result = verifyRs256(`${header}.${payload}.`, ours.publicKey, {
      nowSeconds: FUZZ_NOW_SECONDS,
      toleranceSeconds: 0,
    });
    expect(result).toMatchObject({ valid: false, problem });
  });
});
