import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBanner, spawnNpmScript } from './spawn-sample.js';

// `npm start` runs the sources under tsx, where the CommonJS @nestjs/throttler can load a second copy of
// @nestjs/common: its 429 then fails an `instanceof HttpException` check. This spec types the command a
// user types and checks the answer a user gets.
const sample = spawnNpmScript('start', {
  PORT: '0',
  APP_RATE_LIMIT: '2',
  APP_LOCAL_DIR: join(mkdtempSync(join(tmpdir(), 'hg-npm-start-')), '.local'),
});

afterAll(() => sample.stop());

describe('npm start (tsx, local mode)', () => {
  it('answers a throttled token request with 429 and Retry-After, never 500', async () => {
    const { url, bearer } = parseBanner(await sample.waitFor(/Try it:[\s\S]*curl[^\n]*\n/, 90_000));
    const get = () => fetch(`${url}/hotglue/token`, { headers: { authorization: `Bearer ${bearer}` } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const throttled = await get();
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await throttled.json()).toMatchObject({ statusCode: 429 });
    expect(sample.output()).not.toMatch(/ThrottlerException/);
  }, 120_000);
});
