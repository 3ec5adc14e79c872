/** The signed-in user of the sample app, as the auth stand-in attaches it to the request. */
export interface AppPrincipal {
  /** The user id (`sub` claim). */
  readonly userId: string;
  /** Tenant ids this user may act for (`tenants` claim). The only source of truth for tenant access. */
  readonly tenants: readonly string[];
}

/** An Express request after `AppAuthGuard`. */
export interface AuthenticatedRequest {
  user?: AppPrincipal;
}

/** Bounds on claims, so a huge token cannot make every request expensive. */
const MAX_USER_ID_LENGTH = 256;
const MAX_TENANTS = 1000;

/**
 * Turns verified JWT claims into a principal, or `undefined` when they do not have the expected shape
 * (`sub`: non-empty string; `tenants`: array of strings; `exp` present). A signed token with wrong claims is still refused.
 */
export function toPrincipal(claims: unknown): AppPrincipal | undefined {
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { sub, tenants, exp } = claims as { sub?: unknown; tenants?: unknown; exp?: unknown };
  // jsonwebtoken checks `exp` only when present: a bearer without one would be valid forever.
  if (typeof exp !== 'number') return undefined;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_USER_ID_LENGTH) return undefined;
  if (!Array.isArray(tenants) || tenants.length > MAX_TENANTS) return undefined;
  if (!tenants.every((tenant) => typeof tenant === 'string')) return undefined;
  return Object.freeze({ userId: sub, tenants: Object.freeze([...tenants]) });
}
