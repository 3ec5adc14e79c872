import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestSigningKey } from '../../src/hotglue-testing/signing-keys.js';

/** Base64 of `text`, wrapped every `width` characters with `eol` (as `base64` / `openssl base64` print it). */
export function wrappedBase64(text: string, width = 76, eol = '\n'): string {
  const flat = Buffer.from(text).toString('base64');
  return (flat.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(eol);
}

/** The key's PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM. */
export function pkcs1Pem(key: TestSigningKey): string {
  return key.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** The expected fingerprint, computed independently of the library: SHA-256 over the DER SPKI, 16 hex digits. */
export function expectedFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

const memo = new Map<string, string>();
function once(name: string, make: () => string): string {
  let value = memo.get(name);
  if (value === undefined) {
    value = make();
    memo.set(name, value);
  }
  return value;
}

/** Keys and PEM blocks that must be refused, generated at run time (never committed). */
export const wrongKeys = {
  ecSec1: () =>
    once('ecSec1', () =>
      generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'sec1', format: 'pem' })
        .toString(),
    ),
  ecPkcs8: () =>
    once('ecPkcs8', () =>
      generateKeyPairSync('ec', { namedCurve: 'P-384' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    ),
  ed25519: () =>
    once('ed25519', () =>
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ),
  rsaPss: () =>
    once('rsaPss', () =>
      generateKeyPairSync('rsa-pss', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    ),
  /** A self-signed X.509 certificate made by the `openssl` CLI in a temp dir that is removed right after. */
  certificate: () =>
    once('certificate', () => {
      const dir = mkdtempSync(join(tmpdir(), 'hotglue-cert-'));
      try {
        const keyPath = join(dir, 'key.pem');
        const certPath = join(dir, 'cert.pem');
        execFileSync(
          'openssl',
          ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=t', '-days', '1'].concat([
            '-keyout',
            keyPath,
            '-out',
            certPath,
          ]),
          { stdio: 'ignore' },
        );
        return readFileSync(certPath, 'utf8');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
};
