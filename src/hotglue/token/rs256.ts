import { type KeyObject, sign } from 'node:crypto';

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
