import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A freshly generated RSA key pair in the forms hotglue and this library use. */
export interface TestSigningKey {
  /** PKCS#8 PEM of the private key. */
  readonly privateKeyPem: string;
  /** The private key as hotglue's admin panel shows it: base64 of the PEM (`HOTGLUE_SIGNING_KEY`). */
  readonly privateKeyBase64: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SPKI PEM of the public key. */
  readonly publicKeyPem: string;
}

const generated = new Map<string, TestSigningKey>();

/**
 * Generates an RSA signing key for tests (never commit key files). RSA generation costs ~100 ms, so one key
 * per `label` is generated per process and reused; pass another label for a second, distinct key.
 */
export function generateTestSigningKey(label = 'default', modulusLength = 2048): TestSigningKey {
  const cacheKey = `${label}:${modulusLength}`;
  const existing = generated.get(cacheKey);
  if (existing) return existing;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key: TestSigningKey = Object.freeze({
    privateKeyPem,
    privateKeyBase64: Buffer.from(privateKeyPem).toString('base64'),
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  generated.set(cacheKey, key);
  return key;
}
