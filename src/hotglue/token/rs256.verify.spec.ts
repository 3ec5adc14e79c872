import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { errors, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { FUZZ_NOW_SECONDS, fuzzToken } from '../../../test/support/token-fuzz.js';
import type { HotglueTokenProblem } from '../hotglue.errors.js';
import { type Rs256Verification, verifyRs256 } from './rs256.js';

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
