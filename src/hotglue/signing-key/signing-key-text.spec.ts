import { describe, expect, it } from 'vitest';
import { pkcs1Pem, wrappedBase64 } from '../../../test/support/keys.js';
import { expectNoLeak, pemSecretForms } from '../../../test/support/leaks.js';
import { generateTestSigningKey } from '../../hotglue-testing/signing-keys.js';
import { HotglueSigningKeyError } from '../hotglue.errors.js';
import { toPemText } from './signing-key-text.js';

const SETTING = 'signingKey (HOTGLUE_SIGNING_KEY)';
const key = generateTestSigningKey();
const pem = key.privateKeyPem;

describe('toPemText: every accepted form becomes the same LF PEM', () => {
  const forms: Array<[string, string | Buffer]> = [
    ["base64 (hotglue's form)", key.privateKeyBase64],
    ['base64 wrapped at 76 columns', wrappedBase64(pem)],
    ['base64 wrapped with CRLF', wrappedBase64(pem, 64, '\r\n')],
    ['raw PEM', pem],
    ['PEM with literal \\n escapes', pem.replace(/\n/g, '\\n')],
    ['PEM with literal \\r\\n escapes', pem.replace(/\n/g, '\\r\\n')],
    ['PEM with CRLF', pem.replace(/\n/g, '\r\n')],
    ['PEM with surrounding whitespace', `\n\n   ${pem}   \t\n`],
    ['PEM in a Buffer', Buffer.from(pem)],
    ['base64 in a Buffer with a trailing newline', Buffer.from(`${key.privateKeyBase64}\n`)],
  ];

  it.each(forms)('%s', (_name, input) => {
    expect(toPemText(input, SETTING)).toBe(pem);
  });

  it('keeps a PKCS#1 PEM as it is', () => {
    const pkcs1 = pkcs1Pem(key);
    expect(toPemText(Buffer.from(pkcs1).toString('base64'), SETTING)).toBe(pkcs1);
    expect(toPemText(pkcs1.replace(/\n/g, '\\n'), SETTING)).toBe(pkcs1);
  });

  it('refuses empty and non-base64 input with typed errors that do not echo it', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty'],
      [' \r\n ', 'empty'],
      ['%%%% not base64 %%%%', 'not-base64-or-pem'],
      [Buffer.from('hello, world').toString('base64'), 'not-base64-or-pem'],
      [`${key.privateKeyBase64}*`, 'not-base64-or-pem'],
    ];
    for (const [input, problem] of cases) {
      let caught: unknown;
      try {
        toPemText(input, SETTING);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HotglueSigningKeyError);
      expect((caught as HotglueSigningKeyError).problem).toBe(problem);
      expectNoLeak((caught as Error).message, [input, ...pemSecretForms(pem)]);
    }
  });
});
