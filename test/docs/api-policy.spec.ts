import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as main from '../../src/hotglue/index.js';
import { REPO_ROOT } from '../sample/spawn-sample.js';

describe('docs/api-policy.md', () => {
  it('states the number of runtime names the main entry really exports', () => {
    const policy = readFileSync(join(REPO_ROOT, 'docs/api-policy.md'), 'utf8');
    const stated = /The main entry holds (\d+) runtime names/.exec(policy)?.[1];
    expect(stated, 'docs/api-policy.md says "The main entry holds N runtime names"').toBeDefined();
    expect(Number(stated)).toBe(Object.keys(main).length);
  });
});
