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

  it('removes a token echoed without its eyJ header, or only its payload and signature', () => {
    const token =
      'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhY21lIiwiaWF0IjoxfQ.c2lnbmF0dXJlX29mX3RoZV90b2tlbl9oZXJl';
    const withToken = new Redactor([token]);
    const [, payload, signature] = token.split('.');
    for (const echoed of [token.slice(3), `${payload}.${signature}`, `sig=${signature}`, `p=${payload}`]) {
      const out = withToken.redact(`upstream said: ${echoed}!`);
      expect(out).not.toContain(payload);
      expect(out).not.toContain(signature);
      expect(out).toMatch(/^upstream said: .*\[REDACTED\]/);
    }
    // An unknown token without `eyJ` is still caught by its shape.
    expect(new Redactor([]).redact(`x ${token.slice(4)} y`)).toBe('x [REDACTED] y');
  });

  it('removes the base64 and base64url forms of a configured key', () => {
    const secret = 'sk_live_0123456789?>~';
    const forms = [
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64').replace(/=+$/, ''),
      Buffer.from(secret).toString('base64url'),
    ];
    const out = new Redactor([secret]).redact(`a ${forms[0]} b ${forms[1]} c ${forms[2]} d`);
    expect(out).toBe('a [REDACTED] b [REDACTED] c [REDACTED] d');
  });

  it('removes from upstream text a Bearer value, and any run of 24+ token characters', () => {
    const redactor = new Redactor(['pk_configured_key']);
    const upstream =
      'Provider said: invalid Authorization: Bearer at-9f8e7d; token ya29.A0ARrdaM-CANARY_opaque_oauth_value_x; ' +
      'retry later for tenant acme';
    const out = redactor.redactUpstream(upstream);
    expect(out).not.toContain('at-9f8e7d');
    expect(out).not.toContain('CANARY');
    expect(out).toContain('Bearer [REDACTED]');
    expect(out).toContain('retry later for tenant acme');
    // Our own text keeps long ids: redact() alone does not cut 24-character runs.
    expect(redactor.redact('tenant_with_a_rather_long_identifier_01')).toBe(
      'tenant_with_a_rather_long_identifier_01',
    );
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
