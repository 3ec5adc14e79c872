import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import fc from 'fast-check';
import { errors, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { FUZZ_NOW_SECONDS, fuzzToken } from '../../test/support/token-fuzz.js';
import { TOKEN_LEEWAY_SECONDS, type TokenCheck, type TokenProblem, TokenVerifier } from './token-verifier.js';

const keyPair = (modulusLength = 2048) => generateKeyPairSync('rsa', { modulusLength });
const first = keyPair();
const second = keyPair();
const stranger = keyPair();
const small = keyPair(1024);

/** The oracle: the emulator's verifier as it was with jose (its loop over keys and its error mapping). */
async function joseCheck(token: string, keys: readonly KeyObject[], nowMs: number): Promise<TokenCheck> {
  const classify = (error: unknown): TokenProblem => {
    if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
      return 'algorithm';
    if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
    if (error instanceof errors.JWTExpired) return 'expired';
    if (error instanceof errors.JWTClaimValidationFailed) return 'claims';
    return 'malformed';
  };
  let problem: TokenProblem = 'signature';
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(nowMs),
        clockTolerance: TOKEN_LEEWAY_SECONDS,
      });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number')
        return { valid: false, problem: 'claims' };
      if (payload.exp + TOKEN_LEEWAY_SECONDS <= nowMs / 1000) return { valid: false, problem: 'expired' };
      return { valid: true, sub: payload.sub };
    } catch (error) {
      problem = classify(error);
      if (problem !== 'signature') return { valid: false, problem };
    }
  }
  return { valid: false, problem };
}

describe('TokenVerifier against jose (the verifier it replaced)', () => {
  it('gives the same verdict and problem as jose on generated tokens and key lists', async () => {
    const seen = new Map<string, number>();
    const keyList = fc.oneof(
      { weight: 4, arbitrary: fc.constant([first.publicKey]) },
      { weight: 2, arbitrary: fc.constant([second.publicKey, first.publicKey]) },
      { weight: 1, arbitrary: fc.constant([second.publicKey]) },
      { weight: 1, arbitrary: fc.constant([small.publicKey, first.publicKey]) },
      { weight: 1, arbitrary: fc.constant([first.publicKey, small.publicKey]) },
      { weight: 1, arbitrary: fc.constant([]) },
    );
    await fc.assert(
      fc.asyncProperty(
        fuzzToken([first.privateKey, second.privateKey, stranger.privateKey]),
        keyList,
        fc.integer({ min: -40_000, max: 40_000 }),
        async (token, keys, offsetMs) => {
          const nowMs = FUZZ_NOW_SECONDS * 1000 + offsetMs;
          const expected = await joseCheck(token, keys, nowMs);
          const verifier = new TokenVerifier(keys, () => nowMs);
          expect(await verifier.verify(token)).toStrictEqual(expected);
          // A second call answers from the cache when the first succeeded: still the same verdict.
          expect(await verifier.verify(token)).toStrictEqual(expected);
          const outcome = expected.valid ? 'valid' : expected.problem;
          seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        },
      ),
      { numRuns: 1500 },
    );
    // The generator reaches every outcome, so agreement is not vacuous.
    expect([...seen.keys()].sort()).toEqual([
      'algorithm',
      'claims',
      'expired',
      'malformed',
      'signature',
      'valid',
    ]);
    // About 10% of the runs are valid tokens (131-161 of 1,500 over 8 random seeds); the bound sits far
    // below that spread so a seed never fails it, and far above zero so the agreement is not vacuous.
    expect(seen.get('valid')).toBeGreaterThan(70);
  }, 60_000);

  it('re-checks expiry of a cached token on the current clock', async () => {
    let nowMs = FUZZ_NOW_SECONDS * 1000;
    const header = Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'acme', exp: FUZZ_NOW_SECONDS + 10 })).toString(
      'base64url',
    );
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), first.privateKey).toString(
      'base64url',
    );
    const token = `${header}.${payload}.${signature}`;
    const verifier = new TokenVerifier([first.publicKey], () => nowMs);
    expect(await verifier.verify(token)).toStrictEqual({ valid: true, sub: 'acme' });
    nowMs += (10 + TOKEN_LEEWAY_SECONDS) * 1000;
    expect(await verifier.verify(token)).toStrictEqual({ valid: false, problem: 'expired' });
  });
});
