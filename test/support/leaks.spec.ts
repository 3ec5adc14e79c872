import { describe, expect, it } from 'vitest';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { expectNoLeak, findLeak, pemSecretForms, secretWindows } from './leaks.js';

// The leak checks guard every key and token spec; they must themselves be able to fail.
describe('leak helper', () => {
  // A key generated at run time (never a key in the tree): its armor lines and its body.
  const pem = generateTestSigningKey().privateKeyPem;
  const [header, firstBodyLine] = pem.split('\n') as [string, string];
  const body = pem
    .split('\n')
    .filter((line) => line && !line.startsWith('-'))
    .join('');

  it('finds any 16-character slice, not only the whole secret', () => {
    const slice = firstBodyLine.slice(20, 36);
    expect(findLeak(`prefix ${slice} suffix`, [pem])).toBe(slice);
    expect(() => expectNoLeak(`x ${firstBodyLine.slice(0, 16)} y`, [pem])).toThrow(/leaks a secret/);
    expect(findLeak('nothing to see', [pem])).toBeUndefined();
    expect(findLeak('short secret: abc', ['abc'])).toBe('abc');
  });

  it('ignores windows entirely inside a PEM armor line, but not windows that touch the body', () => {
    const windows = secretWindows(pem);
    expect(windows).not.toContain(header.slice(0, 16));
    expect(windows).toContain(`${header.slice(-8)}\n${firstBodyLine.slice(0, 7)}`);
    expect(findLeak(`expected a "${header}" block`, [pem])).toBeUndefined();
  });

  it('checks the base64 of the PEM and the body without line breaks', () => {
    const forms = pemSecretForms(pem);
    expect(forms).toContain(body);
    expect(forms).toContain(Buffer.from(pem).toString('base64'));
    const b64 = Buffer.from(pem).toString('base64');
    expect(findLeak(`...${b64.slice(40, 56)}...`, forms)).toBeDefined();
  });
});
