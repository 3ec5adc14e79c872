import { type KeyObject, sign, verify } from 'node:crypto';
import type { HotglueTokenProblem } from '../hotglue.errors.js';

/** The only JOSE header we ever emit, encoded once. */
const HEADER_SEGMENT = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');

/** The claims of a hotglue tenant token, and nothing else. */
export interface TenantClaims {
  readonly sub: string;
  readonly iat: number;
  readonly exp: number;
}

/** `base64url(header) + '.' + base64url(claims)`: the bytes an RS256 signature covers. */
export function signingInput(claims: TenantClaims): string {
  const payload = JSON.stringify({ sub: claims.sub, iat: claims.iat, exp: claims.exp });
  return `${HEADER_SEGMENT}.${Buffer.from(payload).toString('base64url')}`;
}

/**
 * Signs `input` with RSASSA-PKCS1-v1_5 / SHA-256 and returns the compact JWT.
 *
 * The callback form of `crypto.sign` runs the RSA private-key operation on libuv's thread pool, so a burst
 * of signings neither blocks the event loop nor uses only one core (the benchmark measures both).
 */
export function signRs256(input: string, privateKey: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input), privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}

/** A function that turns a signing input into a compact JWT; injectable so tests can count signings. */
export type HotglueJwtSigner = (input: string) => Promise<string>;

/**
 * The module's signer: a lone signature runs inline, concurrent ones run on libuv's thread pool.
 *
 * Why not always the pool: handing one signature to a pool thread and waking the event loop for its result
 * costs about a quarter of an RSA-2048 signature on our 2-core benchmark machine, and buys nothing when no
 * other signature is waiting. So when nothing is in flight and no signature ran inline in the current turn
 * of the event loop, the signature is computed inline (one RSA-2048 private-key operation, ~0.3 ms). Every
 * other signature goes to the pool: a burst (many calls in one turn, or calls while signatures are pending)
 * spreads over every core, and the loop is never blocked for more than one signature per turn. The
 * benchmark measures both paths and the loop's delay during a 2,000-tenant burst.
 */
export function createRs256Signer(privateKey: KeyObject): HotglueJwtSigner {
  let pending = 0;
  let signedInlineThisTurn = false;
  const endTurn = () => {
    signedInlineThisTurn = false;
  };
  return async (input) => {
    if (pending === 0 && !signedInlineThisTurn) {
      signedInlineThisTurn = true;
      // A microtask runs before the next caller can start a new turn, so sequential callers sign inline.
      queueMicrotask(endTurn);
      return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    }
    pending++;
    try {
      return await signRs256(input, privateKey);
    } finally {
      pending--;
    }
  };
}

/** Options of `verifyRs256`. */
export interface VerifyRs256Options {
  /** The verifier's clock in seconds; fractions allowed (`exp` and `nbf` are compared with its whole seconds). */
  readonly nowSeconds: number;
  /** Accepted clock skew for `exp`, `nbf` and `iat`, in seconds: finite and 0 or more (the caller checks). */
  readonly toleranceSeconds: number;
  /** When given, `sub` must equal it. */
  readonly subject?: string;
}

/** Outcome of `verifyRs256`; `detail` is the message of the `HotglueTokenVerificationError` to throw. */
export type Rs256Verification =
  | { readonly valid: true; readonly claims: TenantClaims }
  | { readonly valid: false; readonly problem: HotglueTokenProblem; readonly detail: string };

const refused = (problem: HotglueTokenProblem, detail: string): Rs256Verification => ({
  valid: false,
  problem,
  detail,
});
const MALFORMED = refused('malformed', 'is not a well-formed compact JWT.');
const ALGORITHM = refused('algorithm', 'is not signed with RS256; no other algorithm is accepted.');
const SIGNATURE = refused('signature', "signature does not match this environment's key.");
const EXPIRED = refused('expired', 'has expired; request a new one.');
const TENANT = refused('tenant', 'was issued for another tenant.');
const badClaim = (claim: string) => refused('claims', `claim "${claim}" is missing or invalid.`);

/**
 * Verifies a hotglue tenant token with node:crypto: RS256 only (`none`, HS256 and every other algorithm are
 * refused), a valid signature by `publicKey`, `sub`, `iat` and `exp` present, `nbf` (if any) and `exp` within
 * the tolerance, `iat` not in the future, and `sub` a string equal to `subject` when given. Never throws.
 *
 * Why not jose: jose 6 is ESM-only, so a CommonJS app's Jest could not load the library. This replaces the
 * `jwtVerify` call we made before and keeps its decisions, its order of checks (which decides the problem a
 * token with several faults gets) and our messages; a property spec compares the two on generated tokens.
 */
export function verifyRs256(
  token: string,
  publicKey: KeyObject,
  options: VerifyRs256Options,
): Rs256Verification {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return MALFORMED;
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  const header = parseJsonObject(decodeBase64url(headerSegment));
  if (header === undefined) return MALFORMED;
  // RFC 7797's "b64" is the only "crit" extension jose understood; b64:false (an unencoded payload) is
  // refused once the signature is checked, as jose did.
  const { crit } = header;
  if (
    crit !== undefined &&
    !(
      Array.isArray(crit) &&
      crit.length > 0 &&
      crit.every((name) => name === 'b64') &&
      typeof header.b64 === 'boolean'
    )
  ) {
    return MALFORMED;
  }
  if (typeof header.alg !== 'string' || header.alg === '') return MALFORMED;
  if (header.alg !== 'RS256') return ALGORITHM;
  if (NON_ASCII.test(payloadSegment)) return MALFORMED;
  const signature = decodeBase64url(signatureSegment);
  if (signature === undefined) return MALFORMED;
  if (!verifiesRs256(`${headerSegment}.${payloadSegment}`, publicKey, signature)) return SIGNATURE;
  if (crit !== undefined && header.b64 === false) return MALFORMED;
  const claims = parseJsonObject(decodeBase64url(payloadSegment));
  if (claims === undefined) return MALFORMED;
  // The order jose checked presence in: it decides which claim the message names.
  for (const claim of options.subject === undefined ? ['exp', 'iat', 'sub'] : ['sub', 'exp', 'iat']) {
    if (!Object.hasOwn(claims, claim)) return badClaim(claim);
  }
  if (options.subject !== undefined && claims.sub !== options.subject) return TENANT;
  const { sub, iat, nbf, exp } = claims;
  const now = Math.floor(options.nowSeconds);
  const tolerance = options.toleranceSeconds;
  if (typeof iat !== 'number') return badClaim('iat');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + tolerance)) return badClaim('nbf');
  if (typeof exp !== 'number') return badClaim('exp');
  if (exp <= now - tolerance) return EXPIRED;
  if (typeof sub !== 'string' || iat > options.nowSeconds + tolerance) {
    return refused('claims', '"iat" lies in the future or "sub" is not a string.');
  }
  return { valid: true, claims: { sub, iat, exp } };
}

function verifiesRs256(input: string, publicKey: KeyObject, signature: Buffer): boolean {
  try {
    return verify('sha256', Buffer.from(input), publicKey, signature);
  } catch {
    return false;
  }
}

const NON_ASCII = /[^\p{ASCII}]/u;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Base64url decoded the way jose did on Node 20 (through `atob`): ASCII whitespace is ignored, padding is
 * optional, `+` and `/` are refused. Undefined when the segment is not valid.
 */
function decodeBase64url(segment: string): Buffer | undefined {
  let text = segment.replace(/[\t\n\f\r ]/g, '');
  if (text.length % 4 === 0) text = text.replace(/={1,2}$/, '');
  if (text.length % 4 === 1 || !/^[\w-]*$/.test(text)) return undefined;
  return Buffer.from(text, 'base64url');
}

/** Strict UTF-8 (a BOM is dropped, as TextDecoder does), JSON, and a top-level object; else undefined. */
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
