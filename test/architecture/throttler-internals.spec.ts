/**
 * The throttler guard extends `@nestjs/throttler` through its public hooks only. The package's metadata keys
 * (`'THROTTLER:LIMIT'`, ...) are not exported and may change in any release; a copy of one in the library
 * would read stale metadata after an upgrade without a compile error, so none may appear.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const LIBRARY = join(import.meta.dirname, '../../src/hotglue');
// Built from pieces so this spec does not hold the string it looks for.
const PRIVATE_KEY_PREFIX = ['THROTTLER', ':'].join('');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the library and @nestjs/throttler', () => {
  it("holds no copy of @nestjs/throttler's private metadata keys", () => {
    const files = sources(LIBRARY);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((file) => readFileSync(file, 'utf8').includes(PRIVATE_KEY_PREFIX));
    expect(offenders).toEqual([]);
  });
});
