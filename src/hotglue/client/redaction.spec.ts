import { describe, expect, it } from 'vitest';
import { Redactor } from './redaction.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhY21lIn0.c2lnbmF0dXJl_-x';

describe('Redactor', () => {
  const redactor = new Redactor(['sk_live_0123456789', 'pk_live_abcdef', undefined]);

  it('removes configured secrets, JWTs, token= values and x-api-key values', () => {
    const text = `key sk_live_0123456789 and pk_live_abcdef; ${JWT}; /p?token=abc&x=1; x-api-key: other_key_value`;
    const out = redactor.redact(text);
    expect(out).not.toMatch(/sk_live|pk_live|eyJ|abc&|other_key_value/);
    expect(out).toContain('/p?token=[REDACTED]&x=1');
  });

  it('sanitizes an error chain into plain errors, dropping every other field', () => {
    const inner = Object.assign(new Error(`connect failed for /x?token=${JWT}`), { code: 'ECONNRESET' });
    const outer = Object.assign(new Error('outer sk_live_0123456789', { cause: inner }), {
      code: 'UND_ERR_SOCKET',
      headers: { 'x-api-key': 'sk_live_0123456789' },
      socket: { remoteAddress: '127.0.0.1' },
    });
    const copy = redactor.sanitizeError(outer)!;
    expect(copy.message).toBe('outer [REDACTED]');
    expect((copy as Error & { code: string }).code).toBe('UND_ERR_SOCKET');
    expect(Object.keys(copy).sort()).toEqual(['code', 'name']);
    const cause = copy.cause as Error & { code: string };
    expect(cause.code).toBe('ECONNRESET');
    expect(cause.message).not.toContain('eyJ');
    expect(String(copy.stack)).not.toContain('sk_live');
  });
});
