export { type HotglueSigningKey, MIN_RSA_MODULUS_BITS, parseSigningKey } from './signing-key.js';
export { loadSigningKey, type SigningKeySource } from './signing-key-source.js';
export { toPemText } from './signing-key-text.js';
