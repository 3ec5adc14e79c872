import { createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';

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
 * node:crypto, not jose: jose 6 is ESM-only and the emulator must load under Jest in CommonJS apps. The
 * checks, their order and the problems reported are those of the jose `jwtVerify` call this replaced (a
 * property spec compares the two). The emulator stands in for hotglue, so it does not reuse the library's
 * verifier.
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
    const claims = this.verifyToken(token);
    if ('problem' in claims) return { valid: false, problem: claims.problem };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(token, claims);
    return this.checkExpiry(claims);
  }

  private checkExpiry(claims: CachedClaims): TokenCheck {
    if (claims.exp + TOKEN_LEEWAY_SECONDS <= this.clock() / 1000) return { valid: false, problem: 'expired' };
    return { valid: true, sub: claims.sub };
  }

  private verifyToken(token: string): CachedClaims | { problem: TokenProblem } {
    if (this.keys.length === 0) return { problem: 'signature' };
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3) return { problem: 'malformed' };
    const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
    const header = parseJsonObject(decodeBase64url(headerSegment));
    if (header === undefined) return { problem: 'malformed' };
    const critProblem = checkCrit(header);
    if (critProblem) return { problem: critProblem };
    if (typeof header.alg !== 'string' || header.alg === '') return { problem: 'malformed' };
    if (header.alg !== 'RS256') return { problem: 'algorithm' };
    if (/[^\p{ASCII}]/u.test(payloadSegment)) return { problem: 'malformed' };
    const signature = decodeBase64url(signatureSegment);
    if (signature === undefined) return { problem: 'malformed' };
    const input = Buffer.from(`${headerSegment}.${payloadSegment}`);
    const signatureProblem = this.checkSignature(input, signature);
    if (signatureProblem) return { problem: signatureProblem };
    if (header.crit !== undefined && header.b64 === false) return { problem: 'malformed' };
    const claims = parseJsonObject(decodeBase64url(payloadSegment));
    if (claims === undefined) return { problem: 'malformed' };
    const { sub, iat, nbf, exp } = claims;
    if (!Object.hasOwn(claims, 'exp') || !Object.hasOwn(claims, 'sub')) return { problem: 'claims' };
    const now = Math.floor(this.clock() / 1000);
    if (iat !== undefined && typeof iat !== 'number') return { problem: 'claims' };
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + TOKEN_LEEWAY_SECONDS)) {
      return { problem: 'claims' };
    }
    if (typeof exp !== 'number') return { problem: 'claims' };
    if (exp <= now - TOKEN_LEEWAY_SECONDS) return { problem: 'expired' };
    if (typeof sub !== 'string') return { problem: 'claims' };
    return { sub, exp };
  }

  /** Keys are tried in order; reaching a key under 2048 bits makes the token 'malformed', as jose did. */
  private checkSignature(input: Buffer, signature: Buffer): TokenProblem | undefined {
    for (const key of this.keys) {
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return 'malformed';
      try {
        if (verify('sha256', input, key, signature)) return undefined;
      } catch {
        // A signature the key cannot check is a mismatch; the next key may match.
      }
    }
    return 'signature';
  }
}

/**
 * The "crit" header as jose judged it: RFC 7797's "b64" (a boolean) is the only extension understood; an
 * unknown one is an 'algorithm' problem, a badly formed list or a missing "b64" is 'malformed'.
 */
function checkCrit(header: Record<string, unknown>): TokenProblem | undefined {
  const { crit } = header;
  if (crit === undefined) return undefined;
  if (
    !Array.isArray(crit) ||
    crit.length === 0 ||
    crit.some((name) => typeof name !== 'string' || name === '')
  ) {
    return 'malformed';
  }
  // jose went through the list in order and stopped at the first unknown name or at "b64" missing.
  const unknown = crit.findIndex((name) => name !== 'b64');
  if (unknown !== -1 && (unknown === 0 || Object.hasOwn(header, 'b64'))) return 'algorithm';
  return typeof header.b64 === 'boolean' ? undefined : 'malformed';
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Base64url as jose read it on Node 20 (`atob`): ASCII whitespace ignored, padding optional, no `+` or `/`.
 * This and `parseJsonObject` repeat `src/hotglue/token/rs256.ts` on purpose: the emulator stands in for
 * hotglue's server, which checks the tokens the library signs, so it shares no code with the library (a bug
 * in a shared decoder would pass on both sides).
 */
function decodeBase64url(segment: string): Buffer | undefined {
  let text = segment.replace(/[\t\n\f\r ]/g, '');
  if (text.length % 4 === 0) text = text.replace(/={1,2}$/, '');
  if (text.length % 4 === 1 || !/^[\w-]*$/.test(text)) return undefined;
  return Buffer.from(text, 'base64url');
}

/** Strict UTF-8, JSON, and a top-level object; else undefined. */
function parseJsonObject(bytes: Buffer | undefined): Record<string, unknown> | undefined {
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(STRICT_UTF8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
