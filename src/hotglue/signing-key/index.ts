export {
  type KeyFileChange,
  type KeyFileWatcher,
  type KeyFileWatchOptions,
  watchKeyFile,
} from './key-file-watcher.js';
export {
  keyFileReadError,
  loadSigningKey,
  SIGNING_KEY_FILE_SETTING,
  SIGNING_KEY_SETTING,
  type SigningKeyInput,
  type SigningKeySettingNames,
} from './load-signing-key.js';
export { type HotglueSigningKey, MIN_RSA_MODULUS_BITS, parseSigningKey } from './signing-key.js';
export {
  type SigningKeyListener,
  type SigningKeyRejection,
  type SigningKeyRejectionListener,
  SigningKeyState,
} from './signing-key-state.js';
export { MAX_SIGNING_KEY_LENGTH, toPemText } from './signing-key-text.js';
