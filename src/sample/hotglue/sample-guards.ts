import { HotglueTenantGuard } from '../../hotglue/index.js';
import { HotglueUserThrottlerGuard } from '../../hotglue/throttler/index.js';
import { AppAuthGuard, type AuthenticatedRequest } from '../auth/index.js';

/** The library's tenant guard, told where the sample keeps the principal's tenants. */
export const SampleTenantGuard = HotglueTenantGuard<AuthenticatedRequest>({
  tenantsOf: (request) => request.user?.tenants,
  from: { query: 'tenantId' },
});

/** The library's per-user throttler, keyed by the sample principal's user id. */
export const SampleUserThrottlerGuard = HotglueUserThrottlerGuard<AuthenticatedRequest>({
  userOf: (request) => request.user?.userId,
});

/**
 * In this order: who is calling (401), how often (429, counted per user so tenant probing is limited too),
 * which tenant (400/403). Only then does a handler run, so a refused request never reaches the signer.
 */
export const HOTGLUE_ROUTE_GUARDS = [AppAuthGuard, SampleUserThrottlerGuard, SampleTenantGuard] as const;
