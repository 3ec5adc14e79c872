import { JwtService } from '@nestjs/jwt';

/** Claims of a sample-app bearer token. */
export interface AppTokenClaims {
  readonly sub: string;
  readonly tenants: readonly string[];
}

/**
 * Signs a sample-app bearer token (HS256 with `APP_AUTH_SECRET`). Used for the local-mode demo user and in
 * tests; a real host app issues these from its own login.
 */
export function signAppToken(secret: string, claims: AppTokenClaims, expiresInSeconds = 12 * 3600): string {
  return new JwtService({ secret }).sign(
    { sub: claims.sub, tenants: [...claims.tenants] },
    { algorithm: 'HS256', expiresIn: expiresInSeconds },
  );
}
