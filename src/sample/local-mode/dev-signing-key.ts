import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the development signing key inside the local directory. */
export const DEV_SIGNING_KEY_FILE = 'hotglue-dev-signing-key.pem';

/** The development key and where it lives. */
export interface DevSigningKey {
  readonly path: string;
  /** PKCS#8 PEM of the private key; stays in this process and the 0600 file. */
  readonly privateKeyPem: string;
  /** SPKI PEM of its public key (the emulator verifies tokens with it). */
  readonly publicKeyPem: string;
  /** True when this run generated it. */
  readonly created: boolean;
  /** True when an existing file was readable by group/others and was tightened to 0600. */
  readonly permissionsFixed: boolean;
}

/**
 * Loads the development signing key from `dir`, or generates one (RSA 2048, PKCS#8) the first time, so
 * local runs keep one key and tokens survive restarts. The directory is 0700 and the file 0600; a file
 * with looser permissions is tightened. Written to a temporary file and renamed, so two processes starting
 * at once never read half a key.
 */
export function loadOrCreateDevSigningKey(dir: string): DevSigningKey {
  const path = join(dir, DEV_SIGNING_KEY_FILE);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let pem: string | undefined;
  let permissionsFixed = false;
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      permissionsFixed = true;
    }
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (pem !== undefined) {
    return {
      path,
      privateKeyPem: pem,
      publicKeyPem: publicPemOf(pem, path),
      created: false,
      permissionsFixed,
    };
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const generated = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, generated, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, path);
  return {
    path,
    privateKeyPem: generated,
    publicKeyPem: publicPemOf(generated, path),
    created: true,
    permissionsFixed,
  };
}

/**
 * The public half of the key in the file. HotglueModule validates the private key itself when it boots (size,
 * type); this only has to fail on a file that is not a key, naming the file and never its text.
 */
function publicPemOf(pem: string, path: string): string {
  try {
    return createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    throw new Error(`${path} does not hold a private key in PEM; delete it and a new one is generated.`);
  }
}
