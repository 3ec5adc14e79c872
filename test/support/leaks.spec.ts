import { describe, expect, it } from 'vitest';
import { expectNoLeak, findLeak, pemSecretForms, secretWindows } from './leaks.js';

// The leak checks guard every key and token spec; they must themselves be able to fail.
describe('leak helper', () => {
  const pem =
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';

  it('finds any 16-character slice, not only the whole secret', () => {
    expect(findLeak('prefix ADANBgkqhkiG9w0B suffix', [pem])).toBe('ADANBgkqhkiG9w0B');
    expect(() => expectNoLeak('x MIIEvQIBADANBgkq y', [pem])).toThrow(/leaks a secret/);
    expect(findLeak('nothing to see', [pem])).toBeUndefined();
    expect(findLeak('short secret: abc', ['abc'])).toBe('abc');
  });

  it('ignores windows entirely inside a PEM armor line, but not windows that touch the body', () => {
    const windows = secretWindows(pem);
    expect(windows).not.toContain('-----BEGIN PRIVA');
    expect(windows).toContain('KEY-----\nMIIEvQI');
    expect(findLeak('expected a "-----BEGIN PRIVATE KEY-----" block', [pem])).toBeUndefined();
  });

  it('checks the base64 of the PEM and the body without line breaks', () => {
    const forms = pemSecretForms(pem);
    expect(forms).toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7');
    expect(forms).toContain(Buffer.from(pem).toString('base64'));
    const b64 = Buffer.from(pem).toString('base64');
    expect(findLeak(`...${b64.slice(40, 56)}...`, forms)).toBeDefined();
  });
});
