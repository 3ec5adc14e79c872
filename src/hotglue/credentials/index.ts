export {
  HotglueCredentialsError,
  type HotglueCredentialsFailure,
  type HotglueCredentialsKind,
  type HotglueCredentialsTarget,
} from './credentials.errors.js';
export type { HotglueCredentials } from './credentials.js';
export { isSecretLookingName, parseExpiry } from './credentials-parse.js';
