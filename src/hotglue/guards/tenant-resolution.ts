import { assertValidTenantId } from '../internal/tenant-id.js';

/** Why a request was refused a tenant, or the tenant it may act for. */
export type TenantResolution =
  | { readonly kind: 'ok'; readonly tenantId: string }
  /** No authenticated principal (401). */
  | { readonly kind: 'unauthenticated' }
  /** The requested id breaks `TENANT_ID_PATTERN` (400). */
  | { readonly kind: 'malformed' }
  /** The tenant id was given more than once, e.g. `?tenantId=a&tenantId=b` (400). */
  | { readonly kind: 'duplicate' }
  /** The principal has several tenants and named none (400). */
  | { readonly kind: 'ambiguous' }
  /** The principal has no tenant at all and named none (403). */
  | { readonly kind: 'no-tenants' }
  /** The named tenant is not one of the principal's (403). */
  | { readonly kind: 'forbidden' };

/** What `resolveTenant` decides from; every field comes from the server side except `requested`. */
export interface TenantResolutionInput {
  /** The authenticated principal's tenants, or `undefined` when nobody is authenticated. */
  readonly principalTenants: readonly unknown[] | undefined;
  /** Every value the request gave for the tenant (0, 1 or more). */
  readonly requested: readonly string[];
  /** Use the principal's only tenant when none is named. */
  readonly defaultToOnlyTenant: boolean;
}

const AMBIGUOUS = Symbol('several tenants');

/**
 * The principal's one tenant, `AMBIGUOUS` when it has several distinct ones, undefined when none. Duplicates
 * count once (a principal listing one tenant twice still has one tenant to default to). One pass, no
 * allocation: it runs on every request to a guarded route.
 */
function onlyTenant(tenants: readonly unknown[]): string | typeof AMBIGUOUS | undefined {
  let only: string | undefined;
  for (const tenant of tenants) {
    if (typeof tenant !== 'string' || tenant === only) continue;
    if (only !== undefined) return AMBIGUOUS;
    only = tenant;
  }
  return only;
}

/**
 * Decides which tenant a request may act for (OWASP API1: object-level authorization on the server).
 * Pure: the guard feeds it what it read from the request. Ownership is an exact string comparison against
 * the principal's own list; nothing the client sends besides the one named id is consulted.
 */
export function resolveTenant(input: TenantResolutionInput): TenantResolution {
  const { principalTenants, requested } = input;
  if (!principalTenants) return { kind: 'unauthenticated' };
  if (requested.length > 1) return { kind: 'duplicate' };

  let tenantId: string;
  if (requested.length === 1) {
    tenantId = requested[0]!;
  } else {
    const only = onlyTenant(principalTenants);
    if (only === undefined) return { kind: 'no-tenants' };
    if (only === AMBIGUOUS || !input.defaultToOnlyTenant) return { kind: 'ambiguous' };
    tenantId = only;
  }
  try {
    assertValidTenantId(tenantId);
  } catch {
    return { kind: 'malformed' };
  }
  return principalTenants.includes(tenantId) ? { kind: 'ok', tenantId } : { kind: 'forbidden' };
}
