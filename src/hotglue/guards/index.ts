export {
  HOTGLUE_ENVIRONMENT_REQUEST_KEY,
  HOTGLUE_TENANT_REQUEST_KEY,
  HotglueTenant,
  HotglueTenantEnvironment,
  HotglueTenantGuard,
  type HotglueTenantGuardOptions,
  type HotglueTenantSource,
} from './hotglue-tenant.guard.js';
export { resolveTenant, type TenantResolution, type TenantResolutionInput } from './tenant-resolution.js';
