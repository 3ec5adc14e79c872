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
