export {
  HOTGLUE_TENANT_REQUEST_KEY,
  HotglueTenant,
  HotglueTenantGuard,
  type HotglueTenantGuardOptions,
  type HotglueTenantSource,
} from './hotglue-tenant.guard.js';
export { resolveTenant, type TenantResolution, type TenantResolutionInput } from './tenant-resolution.js';
