import { describe, expect, it } from 'vitest';
import { pkcs1Pem, wrappedBase64 } from '../../../test/support/keys.js';
import { expectNoLeak, pemSecretForms } from '../../../test/support/leaks.js';
import { generateTestSigningKey } from '../../hotglue-testing/signing-keys.js';
import { HotglueSigningKeyError } from '../hotglue.errors.js';
import { MAX_SIGNING_KEY_LENGTH, toPemText } from './signing-key-text.js';

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

  it('refuses a text above MAX_SIGNING_KEY_LENGTH before any parsing: too-large, never a RangeError', () => {
    // 5 MB of base64 alphabet overflowed V8's regex stack in the base64 check (RangeError, not a typed error).
    const huge = `${key.privateKeyBase64.replace(/=+$/, '')}${'A'.repeat(5 * 1024 * 1024)}`;
    // The PEM form takes its header line from the key generated above, so no key text lives in the file.
    const pemHeader = pem.slice(0, pem.indexOf('\n') + 1);
    for (const input of [huge, Buffer.from(huge), `${pemHeader}${huge}`]) {
      let caught: unknown;
      try {
        toPemText(input, SETTING);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HotglueSigningKeyError);
      const error = caught as HotglueSigningKeyError;
      expect(error.problem).toBe('too-large');
      expect(error.message).toContain('HOTGLUE_SIGNING_KEY');
      expect(error.message).toContain(String(MAX_SIGNING_KEY_LENGTH));
      expectNoLeak(error.message, [key.privateKeyBase64.slice(0, 40), 'AAAAAAAA', ...pemSecretForms(pem)]);
    }
  });

  it('lets a text of exactly MAX_SIGNING_KEY_LENGTH through to the usual checks', () => {
    const atCap = 'A'.repeat(MAX_SIGNING_KEY_LENGTH);
    expect(() => toPemText(atCap, SETTING)).toThrow(
      expect.objectContaining({ problem: 'not-base64-or-pem' }),
    );
    expect(() => toPemText(`${atCap}A`, SETTING)).toThrow(expect.objectContaining({ problem: 'too-large' }));
  });
});
