import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { HotglueSigningKeyError } from '../hotglue.errors.js';
import { toPemText } from './signing-key-text.js';

/** RSA keys shorter than this are refused (NIST SP 800-57: 2048 bits is the floor for RS256). */
export const MIN_RSA_MODULUS_BITS = 2048;

/** A validated RS256 signing key, parsed once at bootstrap. */
export interface HotglueSigningKey {
  /** The private key, ready for `crypto.sign`. Never log or serialise it. */
  readonly privateKey: KeyObject;
  /** The public half, for verification (ours, the emulator's, or hotglue's). */
  readonly publicKey: KeyObject;
  /** The public half as an SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKeyPem: string;
  /** The public half as a JWK (`kty: 'RSA'`, `n`, `e`). */
  readonly publicJwk: JsonWebKey;
  /**
   * A short, non-secret fingerprint that tells operators which key is loaded:
   * `sha256:` + the first 16 hex digits of SHA-256 over the DER SPKI public key.
   */
  readonly fingerprint: string;
  /** RSA modulus length in bits. */
  readonly modulusBits: number;
}

const BLOCK_LABEL = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/**
 * Parses and validates a private signing key in any accepted form (see `toPemText`).
 *
 * Refuses, each with its own `HotglueSigningKeyError` problem: more than one PEM block, an encrypted
 * key, a public key, a certificate, a non-RSA key (EC, RSA-PSS, Ed25519, ...) and RSA under 2048 bits.
 * `setting` names where the key came from, for the error message; the key itself is never echoed.
 */
export function parseSigningKey(input: string | Buffer, setting = 'signingKey'): HotglueSigningKey {
  const pem = toPemText(input, setting);
  const labels = [...pem.matchAll(BLOCK_LABEL)].map((match) => match[1]);
  if (labels.length !== 1) {
    throw new HotglueSigningKeyError(
      'multiple-blocks',
      setting,
      `expected exactly one PEM block, found ${labels.length}. Keep only the private key block.`,
    );
  }
  rejectWrongKind(labels[0]!, pem, setting);

  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // Node's parse errors do not echo the key, but we do not forward them either: ours says what to do.
    throw new HotglueSigningKeyError(
      'unparseable',
      setting,
      'the PEM block could not be parsed as a private key (damaged or truncated?). Copy the key again from hotglue.',
    );
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new HotglueSigningKeyError(
      'not-rsa',
      setting,
      `expected an RSA private key for RS256, got ${privateKey.asymmetricKeyType ?? 'an unknown'} key. ` +
        'Generate the key in hotglue (Settings > API Keys).',
    );
  }
  const modulusBits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (modulusBits < MIN_RSA_MODULUS_BITS) {
    throw new HotglueSigningKeyError(
      'too-small',
      setting,
      `the RSA key has ${modulusBits} bits; at least ${MIN_RSA_MODULUS_BITS} are required. Generate a new key in hotglue.`,
    );
  }
  const described = describeKey(privateKey, modulusBits);
  assertSignsAndVerifies(described, setting);
  return described;
}

/**
 * Node does not check an RSA key's consistency on import: a key whose modulus was damaged in transit (one
 * wrong character in the pasted base64) parses, and then every token it signs fails verification at hotglue.
 * One test signature at bootstrap, checked against the key's own public half, turns that into a config error.
 */
function assertSignsAndVerifies(key: HotglueSigningKey, setting: string): void {
  const probe = Buffer.from('nestjs-hotglue signing key self-test');
  let valid = false;
  try {
    valid = verify('sha256', probe, key.publicKey, sign('sha256', probe, key.privateKey));
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new HotglueSigningKeyError(
      'unparseable',
      setting,
      'the private key is damaged: a test signature does not verify with its own public half. ' +
        'Copy the key again from hotglue.',
    );
  }
}

function rejectWrongKind(label: string, pem: string, setting: string): void {
  if (label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,ENCRYPTED/m.test(pem)) {
    throw new HotglueSigningKeyError(
      'encrypted',
      setting,
      'the private key is encrypted with a passphrase. Provide the unencrypted key ' +
        '(e.g. `openssl pkey -in key.pem -out plain.pem`) and protect it as a secret instead.',
    );
  }
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
    throw new HotglueSigningKeyError(
      'public-key',
      setting,
      'this is a public key; signing needs the private key hotglue generated for the environment.',
    );
  }
  if (label.includes('CERTIFICATE')) {
    throw new HotglueSigningKeyError(
      'certificate',
      setting,
      'this is a certificate; signing needs the private key hotglue generated for the environment.',
    );
  }
  if (label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY') {
    throw new HotglueSigningKeyError(
      label === 'EC PRIVATE KEY' ? 'not-rsa' : 'unparseable',
      setting,
      `expected "PRIVATE KEY" or "RSA PRIVATE KEY", found a "${label}" block. Use the RSA key hotglue generated.`,
    );
  }
}

function describeKey(privateKey: KeyObject, modulusBits: number): HotglueSigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const jwk = publicKey.export({ format: 'jwk' });
  return Object.freeze({
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicJwk: Object.freeze({ kty: jwk.kty, n: jwk.n, e: jwk.e }),
    fingerprint: `sha256:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`,
    modulusBits,
  });
}
