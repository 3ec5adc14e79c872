import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expectedFingerprint, pkcs1Pem, wrappedBase64, wrongKeys } from '../../../test/support/keys.js';
import { expectNoLeak, pemSecretForms } from '../../../test/support/leaks.js';
import { generateTestSigningKey } from '../../hotglue-testing/signing-keys.js';
import { HotglueSigningKeyError, type HotglueSigningKeyProblem } from '../hotglue.errors.js';
import { type HotglueSigningKey, MIN_RSA_MODULUS_BITS, parseSigningKey } from './signing-key.js';

const SETTING = 'signingKey (HOTGLUE_SIGNING_KEY)';
const key = generateTestSigningKey();
const other = generateTestSigningKey('other');

/** The parsed key signs, and the signature verifies with the generated public key (not the library's). */
function expectSignsWithGeneratedKey(parsed: HotglueSigningKey): void {
  const data = Buffer.from('header.payload');
  const signature = sign('sha256', data, parsed.privateKey);
  expect(verify('sha256', data, key.publicKey, signature)).toBe(true);
}

/** Runs `parseSigningKey`, asserts the refusal and that its message, fields and inspection hold no secret. */
function expectRefused(
  input: string | Buffer,
  problem: HotglueSigningKeyProblem,
  secrets: readonly string[],
): HotglueSigningKeyError {
  let caught: unknown;
  try {
    parseSigningKey(input, SETTING);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HotglueSigningKeyError);
  const error = caught as HotglueSigningKeyError;
  expect(error.problem).toBe(problem);
  expect(error.code).toBe('HOTGLUE_SIGNING_KEY_INVALID');
  expect(error.setting).toBe(SETTING);
  expect(error.message.startsWith(`${SETTING}: `)).toBe(true);
  expect(error.detail.length).toBeGreaterThan(20);
  const inputText = typeof input === 'string' ? input : input.toString('utf8');
  const all = [...secrets, inputText, Buffer.from(inputText).toString('base64')];
  expectNoLeak(error.message, all, 'error message');
  expectNoLeak(inspect(error), all, 'inspected error');
  expectNoLeak(String(error.stack), all, 'error stack');
  return error;
}

describe('parseSigningKey: accepted forms', () => {
  const pem = key.privateKeyPem;
  const pkcs1 = pkcs1Pem(key);
  const forms: Array<[string, () => string | Buffer]> = [
    ["base64 of a PKCS#8 PEM (hotglue's form)", () => key.privateKeyBase64],
    ['base64 of a PEM wrapped at 76 columns', () => wrappedBase64(pem, 76)],
    ['base64 of a PEM wrapped at 64 columns with CRLF', () => wrappedBase64(pem, 64, '\r\n')],
    ['base64 of a PKCS#1 PEM', () => Buffer.from(pkcs1).toString('base64')],
    ['raw PKCS#8 PEM', () => pem],
    ['raw PKCS#1 PEM (BEGIN RSA PRIVATE KEY)', () => pkcs1],
    ['PEM with literal \\n escapes', () => pem.replace(/\n/g, '\\n')],
    [
      'PKCS#1 PEM with literal \\n escapes and no trailing escape',
      () => pkcs1.trimEnd().replace(/\n/g, '\\n'),
    ],
    ['PEM with literal \\r\\n escapes', () => pem.replace(/\n/g, '\\r\\n')],
    ['PEM with CRLF line endings', () => pem.replace(/\n/g, '\r\n')],
    ['PEM with surrounding whitespace', () => `  \n\t${pem}\n\n   `],
    ['base64 with surrounding whitespace', () => `\n  ${key.privateKeyBase64}  \r\n`],
    ['PEM without a trailing newline', () => pem.trimEnd()],
    ['PEM in a Buffer', () => Buffer.from(pem)],
    ['base64 in a Buffer', () => Buffer.from(`${key.privateKeyBase64}\n`)],
  ];

  it.each(forms)('accepts %s', (_name, input) => {
    const parsed = parseSigningKey(input(), SETTING);
    expect(parsed.privateKey.type).toBe('private');
    expect(parsed.privateKey.asymmetricKeyType).toBe('rsa');
    expect(parsed.modulusBits).toBe(2048);
    expect(parsed.fingerprint).toBe(expectedFingerprint(key.publicKey));
    expect(parsed.publicKeyPem).toBe(key.publicKeyPem);
    expectSignsWithGeneratedKey(parsed);
  });

  it('accepts a 4096-bit key', () => {
    const big = generateTestSigningKey('big', 4096);
    const parsed = parseSigningKey(big.privateKeyBase64);
    expect(parsed.modulusBits).toBe(4096);
    expect(parsed.fingerprint).toBe(expectedFingerprint(big.publicKey));
  });

  it('uses "signingKey" as the default setting name', () => {
    expect(() => parseSigningKey('')).toThrow(/^signingKey: /);
  });
});

describe('parseSigningKey: the exposed public half', () => {
  const parsed = parseSigningKey(key.privateKeyBase64, SETTING);

  it('is an SPKI PEM of the same public key', () => {
    expect(parsed.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const fromPem = createPublicKey(parsed.publicKeyPem);
    expect(fromPem.equals(key.publicKey)).toBe(true);
    expect(parsed.publicKey.equals(key.publicKey)).toBe(true);
    expect(parsed.publicKey.type).toBe('public');
  });

  it('is a JWK with exactly kty, n and e (no private member)', () => {
    const jwk = key.publicKey.export({ format: 'jwk' });
    expect(parsed.publicJwk).toStrictEqual({ kty: 'RSA', n: jwk.n, e: jwk.e });
    expect(parsed.publicJwk.e).toBe('AQAB');
    expect(Buffer.from(parsed.publicJwk.n!, 'base64url')).toHaveLength(256);
    // The JWK imports back into the same public key.
    expect(createPublicKey({ key: parsed.publicJwk, format: 'jwk' }).equals(key.publicKey)).toBe(true);
  });

  it('has a fingerprint "sha256:" + 16 hex digits over the DER SPKI', () => {
    expect(parsed.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(parsed.fingerprint).toBe(expectedFingerprint(key.publicKey));
  });

  it('has the same fingerprint for every input form of one key, and another for another key', () => {
    const forms = [
      key.privateKeyBase64,
      key.privateKeyPem,
      pkcs1Pem(key),
      key.privateKeyPem.replace(/\n/g, '\\n'),
      Buffer.from(key.privateKeyPem.replace(/\n/g, '\r\n')),
    ];
    const fingerprints = new Set(forms.map((form) => parseSigningKey(form).fingerprint));
    expect([...fingerprints]).toEqual([parsed.fingerprint]);
    const otherParsed = parseSigningKey(other.privateKeyBase64);
    expect(otherParsed.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(otherParsed.fingerprint).not.toBe(parsed.fingerprint);
    expect(otherParsed.publicJwk.n).not.toBe(parsed.publicJwk.n);
  });

  it('is frozen and does not show the private key when serialised or inspected', () => {
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.publicJwk)).toBe(true);
    // The public half is meant to be shown and shares bytes with the private PEM (algorithm id, modulus), so
    // the check looks for the private-only members (d, p, q and the CRT values) and the private PEM itself.
    const jwk = key.privateKey.export({ format: 'jwk' });
    const privateOnly = [jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].map(String);
    const privateB64 = privateOnly.map((member) => Buffer.from(member, 'base64url').toString('base64'));
    for (const text of [JSON.stringify(parsed), inspect(parsed, { depth: 5 })]) {
      expectNoLeak(text, [...privateOnly, ...privateB64], 'serialised signing key');
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(key.privateKeyBase64.slice(100, 164));
    }
  });
});

describe('parseSigningKey: refused keys', () => {
  const secrets = pemSecretForms(key.privateKeyPem);
  const bodyOf = (pem: string) =>
    pem
      .replace(/-----(BEGIN|END) [A-Z ]+-----/g, '')
      .replace(/\s+/g, '')
      .trim();

  it('refuses text that is neither base64 nor a PEM: not-base64-or-pem', () => {
    expectRefused('this is not a key!', 'not-base64-or-pem', secrets);
  });

  it('refuses base64 with a foreign character in it: not-base64-or-pem', () => {
    const b64 = key.privateKeyBase64;
    const mangled = `${b64.slice(0, 100)}!${b64.slice(101)}`;
    expectRefused(mangled, 'not-base64-or-pem', secrets);
  });

  it('refuses base64 with missing padding (strict base64): not-base64-or-pem', () => {
    // A PEM's length varies with the random key; a text whose length is a multiple of 3 has no padding.
    const text = key.privateKeyPem.length % 3 === 2 ? `${key.privateKeyPem}xx` : `${key.privateKeyPem}x`;
    const unpadded = Buffer.from(text).toString('base64');
    expect(unpadded.endsWith('=')).toBe(true);
    expectRefused(unpadded.replace(/=+$/, ''), 'not-base64-or-pem', [...secrets, unpadded]);
  });

  it('refuses valid base64 of text that is not a PEM: not-base64-or-pem', () => {
    const b64 = Buffer.from('a perfectly ordinary sentence, not a key').toString('base64');
    const error = expectRefused(b64, 'not-base64-or-pem', secrets);
    expect(error.detail).toMatch(/valid base64 but does not decode to a PEM/);
  });

  it('refuses the base64 body of the key without its PEM armor (DER): not-base64-or-pem', () => {
    expectRefused(bodyOf(key.privateKeyPem), 'not-base64-or-pem', secrets);
  });

  it('refuses an SPKI public key: public-key', () => {
    expectRefused(key.publicKeyPem, 'public-key', secrets);
  });

  it('refuses an SPKI public key given as base64: public-key', () => {
    expectRefused(Buffer.from(key.publicKeyPem).toString('base64'), 'public-key', secrets);
  });

  it('refuses a PKCS#1 public key (BEGIN RSA PUBLIC KEY): public-key', () => {
    const pem = key.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pem).toContain('BEGIN RSA PUBLIC KEY');
    expectRefused(pem, 'public-key', secrets);
  });

  it('refuses an X.509 certificate: certificate', () => {
    const cert = wrongKeys.certificate();
    expect(cert).toContain('-----BEGIN CERTIFICATE-----');
    expectRefused(cert, 'certificate', pemSecretForms(cert));
    expectRefused(Buffer.from(cert).toString('base64'), 'certificate', pemSecretForms(cert));
  });

  it('refuses an EC key in SEC1 form (BEGIN EC PRIVATE KEY): not-rsa', () => {
    const pem = wrongKeys.ecSec1();
    expect(pem).toContain('BEGIN EC PRIVATE KEY');
    expectRefused(pem, 'not-rsa', pemSecretForms(pem));
  });

  it('refuses an EC key in PKCS#8 form: not-rsa', () => {
    const pem = wrongKeys.ecPkcs8();
    const error = expectRefused(Buffer.from(pem).toString('base64'), 'not-rsa', pemSecretForms(pem));
    expect(error.detail).toContain('ec');
  });

  it('refuses an Ed25519 key: not-rsa', () => {
    const pem = wrongKeys.ed25519();
    const error = expectRefused(pem, 'not-rsa', pemSecretForms(pem));
    expect(error.detail).toContain('ed25519');
  });

  it('refuses an RSA-PSS key: not-rsa', () => {
    const pem = wrongKeys.rsaPss();
    expect(pem).toContain('BEGIN PRIVATE KEY');
    const error = expectRefused(pem, 'not-rsa', pemSecretForms(pem));
    expect(error.detail).toContain('rsa-pss');
  });

  it('refuses a 1024-bit RSA key (PKCS#8 and PKCS#1): too-small', () => {
    const small = generateTestSigningKey('small', 1024);
    const smallSecrets = pemSecretForms(small.privateKeyPem);
    const error = expectRefused(small.privateKeyBase64, 'too-small', smallSecrets);
    expect(error.detail).toContain(`${MIN_RSA_MODULUS_BITS}`);
    expect(error.detail).toContain('1024');
    expectRefused(pkcs1Pem(small), 'too-small', [...smallSecrets, ...pemSecretForms(pkcs1Pem(small))]);
  });

  it('refuses an encrypted PKCS#8 PEM: encrypted', () => {
    const pem = key.privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' })
      .toString();
    expect(pem).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    const error = expectRefused(pem, 'encrypted', [...secrets, ...pemSecretForms(pem)]);
    expect(error.detail).toMatch(/passphrase/);
    expectRefused(Buffer.from(pem).toString('base64'), 'encrypted', [...secrets, ...pemSecretForms(pem)]);
  });

  it('refuses a legacy encrypted PKCS#1 PEM (Proc-Type: 4,ENCRYPTED): encrypted', () => {
    const pem = key.privateKey
      .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' })
      .toString();
    expect(pem).toMatch(/^Proc-Type: 4,ENCRYPTED$/m);
    expectRefused(pem, 'encrypted', [...secrets, ...pemSecretForms(pem)]);
    expectRefused(pem.replace(/\n/g, '\r\n'), 'encrypted', [...secrets, ...pemSecretForms(pem)]);
  });

  it('refuses two private key blocks: multiple-blocks', () => {
    const both = `${key.privateKeyPem}${other.privateKeyPem}`;
    const error = expectRefused(both, 'multiple-blocks', [
      ...secrets,
      ...pemSecretForms(other.privateKeyPem),
    ]);
    expect(error.detail).toContain('found 2');
    expectRefused(Buffer.from(both).toString('base64'), 'multiple-blocks', [
      ...secrets,
      ...pemSecretForms(other.privateKeyPem),
    ]);
  });

  it('refuses a key followed by a certificate (a bundle): multiple-blocks', () => {
    expectRefused(`${key.privateKeyPem}${wrongKeys.certificate()}`, 'multiple-blocks', secrets);
  });

  it('refuses an empty value: empty', () => {
    expectRefused('', 'empty', secrets);
    expectRefused(Buffer.alloc(0), 'empty', secrets);
  });

  it('refuses a whitespace-only value: empty', () => {
    expectRefused('  \n\t\r\n  ', 'empty', secrets);
    expectRefused(Buffer.from('\n\n'), 'empty', secrets);
  });

  it('refuses a truncated PEM: unparseable', () => {
    const pem = key.privateKeyPem;
    // The key's own last (END) line, so the truncated text is still one well-framed block.
    const footer = pem.trimEnd().split('\n').at(-1)!;
    const truncated = `${pem.slice(0, pem.length / 2)}\n${footer}\n`;
    expectRefused(truncated, 'unparseable', secrets);
  });

  it('refuses a PEM whose modulus was damaged but still parses: unparseable (self-test signature)', () => {
    // Body line 3 of a 2048-bit PKCS#8 PEM lies inside the modulus: the DER stays well-formed and Node
    // imports it, but every signature it makes fails verification.
    const lines = key.privateKeyPem.split('\n');
    lines[3] = lines[3]!.split('').reverse().join('');
    const damaged = lines.join('\n');
    expect(() => createPrivateKey(damaged)).not.toThrow();
    const error = expectRefused(damaged, 'unparseable', secrets);
    expect(error.detail).toMatch(/damaged/);
    expectRefused(Buffer.from(damaged).toString('base64'), 'unparseable', secrets);
  });

  it('refuses an OpenSSH private key block: unparseable, naming the block it found', () => {
    // A key generated now, relabelled: Node cannot export OpenSSH's format, and only the label matters here.
    const pem = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
      .replaceAll('PRIVATE KEY', 'OPENSSH PRIVATE KEY');
    const error = expectRefused(pem, 'unparseable', pemSecretForms(pem));
    expect(error.detail).toContain('"OPENSSH PRIVATE KEY"');
  });
});
