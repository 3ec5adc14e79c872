import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HotglueTenantIdError, type HotglueTenantIdProblem } from '../hotglue.errors.js';
import { assertValidTenantId, MAX_TENANT_ID_LENGTH, TENANT_ID_PATTERN } from './tenant-id.js';

function problemOf(id: unknown): HotglueTenantIdProblem | 'valid' {
  try {
    assertValidTenantId(id);
    return 'valid';
  } catch (error) {
    expect(error).toBeInstanceOf(HotglueTenantIdError);
    expect((error as Error).message.startsWith('tenantId: ')).toBe(true);
    return (error as HotglueTenantIdError).problem;
  }
}

describe('assertValidTenantId', () => {
  it.each([
    '1414_1',
    'acme-corp',
    'ACME.Corp',
    '0b9a3c0e-6f7d-4b7e-9a1f-3c2d1e0f9a8b',
    'ops+billing@example.com',
    'org:42',
    'a=b~c',
    'x',
    '.hidden',
    'trailing.',
    'a.b.c',
    'a'.repeat(MAX_TENANT_ID_LENGTH),
  ])('accepts %j', (id) => {
    expect(problemOf(id)).toBe('valid');
  });

  it.each<[string, unknown, HotglueTenantIdProblem]>([
    ['a number', 42, 'not-a-string'],
    ['null', null, 'not-a-string'],
    ['undefined', undefined, 'not-a-string'],
    ['empty', '', 'empty'],
    ['257 characters', 'a'.repeat(MAX_TENANT_ID_LENGTH + 1), 'too-long'],
    ['a leading space', ' acme', 'forbidden-character'],
    ['a trailing newline', 'acme\n', 'forbidden-character'],
    ['an inner space', 'ac me', 'forbidden-character'],
    ['a tab', 'ac\tme', 'forbidden-character'],
    ['NUL', 'ac\u0000me', 'forbidden-character'],
    ['DEL', 'ac\u007fme', 'forbidden-character'],
    ['a slash', 'acme/admin', 'forbidden-character'],
    ['a backslash', 'acme\\admin', 'forbidden-character'],
    ['a percent escape', 'acme%2F', 'forbidden-character'],
    ['a query', 'acme?x=1', 'forbidden-character'],
    ['a Cyrillic look-alike', 'аcme', 'forbidden-character'],
    ['an accented letter', 'café', 'forbidden-character'],
    ['an emoji', 'acme😀', 'forbidden-character'],
    ['a lone dot', '.', 'dot-segment'],
    ['two dots', '..', 'dot-segment'],
    ['a traversal', 'a..b', 'dot-segment'],
    ['three dots', '...', 'dot-segment'],
  ])('refuses %s: %s', (_name, id, problem) => {
    expect(problemOf(id)).toBe(problem);
  });

  it('agrees with TENANT_ID_PATTERN plus the dot rule on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (id) => {
        const expected = TENANT_ID_PATTERN.test(id) && id !== '.' && !id.includes('..');
        expect(problemOf(id) === 'valid').toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('never echoes the id in its message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 4, maxLength: 300 }), (id) => {
        try {
          assertValidTenantId(id);
        } catch (error) {
          expect((error as Error).message).not.toContain(id);
        }
      }),
      { numRuns: 500 },
    );
  });
});
