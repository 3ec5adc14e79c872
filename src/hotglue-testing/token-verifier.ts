import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { errors, jwtVerify } from 'jose';

/** Accepted clock skew for `exp` (and `nbf`), in seconds: what a real server tolerates between machines. */
export const TOKEN_LEEWAY_SECONDS = 30;
/** Successful verifications kept before the cache is emptied; bounds memory under token churn. */
const CACHE_LIMIT = 10_000;

/** Why a token was refused. Only the kind is kept: the token itself never goes into a message or a log. */
export type TokenProblem = 'malformed' | 'algorithm' | 'signature' | 'expired' | 'claims';

/** Outcome of verifying one token, before the tenant is compared. */
export type TokenCheck =
  | { readonly valid: true; readonly sub: string }
  | { readonly valid: false; readonly problem: TokenProblem };

interface CachedClaims {
  readonly sub: string;
  readonly exp: number;
}

/** Turns what the options accept (KeyObject, PEM, JWK; public or private RSA) into an RSA public KeyObject. */
export function toRsaPublicKey(input: KeyObject | string | JsonWebKey): KeyObject {
  let key: KeyObject;
  if (typeof input === 'string') key = createPublicKey(input);
  else if (isKeyObject(input)) key = input.type === 'public' ? input : createPublicKey(input);
  else key = createPublicKey({ key: input, format: 'jwk' });
  if (key.asymmetricKeyType !== 'rsa') {
    throw new TypeError('HotglueEmulator: jwtPublicKeys must be RSA keys (hotglue tokens are RS256).');
  }
  return key;
}

function isKeyObject(value: unknown): value is KeyObject {
  return typeof value === 'object' && value !== null && 'asymmetricKeyType' in value && 'export' in value;
}

/**
 * Verifies hotglue tenant tokens the way we expect hotglue to: RS256 only (so `alg: none` and HS256 tokens
 * forged with the public key PEM as HMAC secret are refused), a signature by one of the registered keys,
 * `sub` present and `exp` in the future within `TOKEN_LEEWAY_SECONDS`, on the emulator's clock.
 *
 * Signature checks cost ~50 µs; a successful result is cached by token string (the signature cannot change
 * under the same string) and `exp` is compared with the clock again on every use, so expiry still bites.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, CachedClaims>();

  constructor(
    private readonly keys: readonly KeyObject[],
    private readonly clock: () => number,
  ) {}

  /** Verifies `token`; never throws and never echoes the token. */
  async verify(token: string): Promise<TokenCheck> {
    const cached = this.cache.get(token);
    if (cached) return this.checkExpiry(cached);
    const claims = await this.verifySignature(token);
    if ('problem' in claims) return { valid: false, problem: claims.problem };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(token, claims);
    return this.checkExpiry(claims);
  }

  private checkExpiry(claims: CachedClaims): TokenCheck {
    if (claims.exp + TOKEN_LEEWAY_SECONDS <= this.clock() / 1000) return { valid: false, problem: 'expired' };
    return { valid: true, sub: claims.sub };
  }

  private async verifySignature(token: string): Promise<CachedClaims | { problem: TokenProblem }> {
    let problem: TokenProblem = 'signature';
    for (const key of this.keys) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['RS256'],
          requiredClaims: ['sub', 'exp'],
          currentDate: new Date(this.clock()),
          clockTolerance: TOKEN_LEEWAY_SECONDS,
        });
        if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return { problem: 'claims' };
        return { sub: payload.sub, exp: payload.exp };
      } catch (error) {
        problem = classify(error);
        // Only a signature mismatch can succeed with another key; any other problem is in the token itself.
        if (problem !== 'signature') return { problem };
      }
    }
    return { problem };
  }
}

function classify(error: unknown): TokenProblem {
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return 'algorithm';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return 'claims';
  return 'malformed';
}
