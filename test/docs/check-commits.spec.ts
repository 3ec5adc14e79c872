import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations.
import { subjectProblem } from '../../scripts/check-commits.mjs';

const problem = subjectProblem as (subject: string) => string | undefined;

describe('scripts/check-commits.mjs', () => {
  it.each([
    'feat(client): add getWriteStatus',
    'fix: keep secrets out of the error text',
    'ci: split consumer apps by Nest major with name filters',
    'refactor(layout)!: one folder per concept',
    `docs: ${'x'.repeat(66)}`,
  ])('accepts %s', (subject) => {
    expect(problem(subject)).toBeUndefined();
  });

  it.each([
    ['no type', 'Benchmarks import row reads in order', /type\(scope\): what/],
    ['an unknown type', 'feature: add a thing', /type\(scope\): what/],
    ['no space after the colon', 'fix:thing', /type\(scope\): what/],
    ['73 characters', `docs: ${'x'.repeat(67)}`, /longer than 72 characters \(73\)/],
  ])('refuses %s', (_name, subject, message) => {
    expect(problem(subject)).toMatch(message);
  });
});
