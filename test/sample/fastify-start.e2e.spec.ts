import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBanner, type SpawnedSample, spawnSample } from './spawn-sample.js';

const localDir = join(mkdtempSync(join(tmpdir(), 'hg-fastify-')), '.local');
const started: SpawnedSample[] = [];
afterAll(async () => {
  await Promise.all(started.map((sample) => sample.stop()));
});

describe('npm start with APP_HTTP_ADAPTER=fastify', () => {
  it('starts on Fastify in local mode and serves the banner try-it token with the tenant guard', async () => {
    const sample = spawnSample(['--import', 'tsx', 'src/main.ts'], {
      PORT: '0',
      APP_LOCAL_DIR: localDir,
      APP_HTTP_ADAPTER: 'fastify',
    });
    started.push(sample);
    const output = await sample.waitFor(/Try it:[\s\S]*curl[^\n]*\n/, 60_000);
    const { url, bearer } = parseBanner(output);
    const ok = await fetch(`${url}/hotglue/token`, { headers: { authorization: `Bearer ${bearer}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect((await ok.json()) as Record<string, unknown>).toMatchObject({ tenantId: 'demo' });
    const foreign = await fetch(`${url}/hotglue/token?tenantId=acme`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(foreign.status).toBe(403);
    expect((await fetch(`${url}/hotglue/token`)).status).toBe(401);
  }, 90_000);

  it('refuses an unknown adapter with one line naming APP_HTTP_ADAPTER', async () => {
    const sample = spawnSample(['--import', 'tsx', 'src/main.ts'], {
      PORT: '0',
      APP_LOCAL_DIR: localDir,
      APP_HTTP_ADAPTER: 'koa',
    });
    started.push(sample);
    const output = await sample.waitFor(/APP_HTTP_ADAPTER/, 60_000);
    expect(output).toContain('APP_HTTP_ADAPTER: must be "express" (default) or "fastify".');
  }, 90_000);
});
