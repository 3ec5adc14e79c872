import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_MODE_HEADLINE } from '../../src/sample/local-mode/banner.js';
import { DEV_SIGNING_KEY_FILE } from '../../src/sample/local-mode/dev-signing-key.js';
import { parseBanner, type SpawnedSample, spawnSample } from './spawn-sample.js';

// `npm start` is `tsx src/main.ts`: run exactly that (tsx emits no decorator metadata, so this also proves
// every injection in the sample is explicit).
const localDir = join(mkdtempSync(join(tmpdir(), 'hg-local-mode-')), '.local');
const started: SpawnedSample[] = [];

function startLocal(): SpawnedSample {
  const sample = spawnSample(['--import', 'tsx', 'src/main.ts'], { PORT: '0', APP_LOCAL_DIR: localDir });
  started.push(sample);
  return sample;
}

afterAll(async () => {
  await Promise.all(started.map((sample) => sample.stop()));
});

describe('npm start with no HOTGLUE_* variable (local mode)', () => {
  it('prints the banner and serves a token for tenant demo with the printed bearer', async () => {
    const sample = startLocal();
    const output = await sample.waitFor(/Try it:[\s\S]*curl[^\n]*\n/, 60_000);
    expect(output).toContain(LOCAL_MODE_HEADLINE);
    expect(output).toMatch(/Emulator\s+http:\/\/127\.0\.0\.1:\d+ \(env /);
    expect(output).toContain('generated now');
    const { url, bearer } = parseBanner(output);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toContain(`curl -s -H "Authorization: Bearer ${bearer}" ${url}/hotglue/token`);

    const response = await fetch(`${url}/hotglue/token`, { headers: { authorization: `Bearer ${bearer}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; tenantId: string };
    expect(body.tenantId).toBe('demo');
    expect(response.headers.get('cache-control')).toBe('no-store');

    const sources = await fetch(`${url}/hotglue/linked-sources`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(await sources.json()).toEqual({
      tenantId: 'demo',
      // An OAuth source with a profile view: the demo page may offer its provider call.
      linkedSources: [{ tap: 'salesforce', label: 'Salesforce (demo)', providerCall: true }],
    });

    // The seed's loop: the backend fetches demo's OAuth credentials from the emulator, calls the emulated
    // provider with them and answers only the provider's profile.
    const profile = await fetch(`${url}/hotglue/sources/salesforce/profile`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(profile.status).toBe(200);
    expect(await profile.json()).toMatchObject({
      tenantId: 'demo',
      tap: 'salesforce',
      profile: { provider: 'salesforce', id: expect.stringMatching(/^emu-user-/) },
    });

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('nestjs-hotglue');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:\d+/);
    expect(csp).not.toContain('upgrade-insecure-requests');

    const session = await fetch(`${url}/demo/session`, { method: 'POST' });
    expect(session.status).toBe(200);
    expect(session.headers.get('cache-control')).toBe('no-store');
    expect(((await session.json()) as { tenants: string[] }).tenants).toEqual(['demo']);

    expect(statSync(join(localDir, DEV_SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    // No hotglue token is ever printed, only the demo app bearer.
    expect(sample.output()).not.toContain(body.token);
    await sample.stop();
  }, 90_000);

  it('reuses the development key on the next run', async () => {
    const sample = startLocal();
    const output = await sample.waitFor(/Try it:[\s\S]*curl[^\n]*\n/, 60_000);
    expect(output).toMatch(/Signing key\s+\S+ \(reused, 0600/);
    await sample.stop();
  }, 90_000);
});
