export {
  type CreateTokenOptions,
  type HotglueToken,
  HotglueTokenService,
  type VerifyTokenOptions,
} from './hotglue-token.service.js';
export {
  createRs256Signer,
  type HotglueJwtSigner,
  signingInput,
  signRs256,
  type TenantClaims,
} from './rs256.js';
export { assertValidTenantId, MAX_TENANT_ID_LENGTH, TENANT_ID_PATTERN } from './tenant-id.js';
