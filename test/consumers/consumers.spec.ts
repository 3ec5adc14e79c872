/**
 * The packed library in three apps of its users: an ESM app laid out as `nest new` lays it out (nodenext,
 * Vitest), a CommonJS app, and an app on an older Nest 12 minor than this repository's lock file; and the
 * CommonJS app once more, installed from this repository's git URL (what `prepare` is for). Each builds
 * with tsc, boots against the installed package's own `npx hotglue-emulator`, and answers the README's
 * guard example over real HTTP. Run by `npm run test:consumers` (CI runs it after `npm test`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type SpawnedSample } from '../sample/spawn-sample.js';
import {
  installedCopies,
  type PackedLibrary,
  packLibrary,
  prepareConsumer,
  sh,
  startIn,
} from './consumer-project.js';

const packDir = mkdtempSync(join(tmpdir(), 'hg-pack-'));
let packed: PackedLibrary;
const running: SpawnedSample[] = [];

beforeAll(async () => {
  packed = await packLibrary(packDir);
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((process) => process.stop()));
  rmSync(packDir, { recursive: true, force: true });
});

/** Packages only the sample, the tests or the benches use: none may reach a consumer's production tree. */
const SAMPLE_ONLY = [
  '@nestjs/swagger',
  'swagger-ui-dist',
  'helmet',
  '@nestjs/jwt',
  'jsonwebtoken',
  'playwright-core',
];

describe('the tarball', () => {
  it('holds LICENSE, README, CHANGELOG, package.json and dist (no sample, no spec), maps with their sources', () => {
    const top = new Set(
      packed.files.map((path) =>
        path
          .split('/')
          .slice(0, path.startsWith('dist/') ? 2 : 1)
          .join('/'),
      ),
    );
    expect([...top].sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/cli',
      'dist/hotglue',
      'dist/hotglue-testing',
      'package.json',
    ]);
    expect(packed.files.filter((path) => /\.spec\.|\/sample\//.test(path))).toEqual([]);
    expect(packed.files).toContain('dist/hotglue/index.d.ts');
    expect(packed.files.filter((path) => path.endsWith('.d.ts.map'))).toEqual([]);
    const maps = packed.files.filter((path) => path.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(10);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(join(REPO_ROOT, map), 'utf8'));
      expect(sourcesContent?.length, map).toBe(sources.length);
    }
  });
});

const CONSUMERS = [
  { name: 'esm', variant: 'esm', from: 'tarball' },
  { name: 'cjs', variant: 'cjs', from: 'tarball' },
  { name: 'nest-12-0', variant: 'nest-12-0', from: 'tarball' },
  { name: 'cjs-from-git', variant: 'cjs', from: 'git' },
] as const;

describe.each(CONSUMERS)('consumer app: $name', ({ name, variant, from }) => {
  let dir: string;
  let app: string;
  let emulatorEnv: Record<string, string>;

  beforeAll(async () => {
    const library = from === 'git' ? `git+file://${REPO_ROOT}` : packed.tarball;
    dir = await prepareConsumer(name, variant, library);
    await sh(dir, 'npm', ['run', 'build']);
    const emulator = startIn(dir, 'npx', ['hotglue-emulator'], { EMULATOR_PORT: '0' });
    running.push(emulator);
    const banner = await emulator.waitFor(/Ctrl\+C to stop/, 60_000);
    emulatorEnv = Object.fromEntries(
      [...banner.matchAll(/^\s+(HOTGLUE_[A-Z_]+)=(\S+)/gm)].map(([, name, value]) => [name!, value!]),
    );
    const server = startIn(dir, 'node', ['dist/main.js'], { ...emulatorEnv, PORT: '0' });
    running.push(server);
    app = /listening on (\S+)/
      .exec(await server.waitFor(/listening on \S+/, 60_000))![1]!
      .replace('[::1]', '127.0.0.1');
  }, 600_000);

  it('has one copy of @nestjs/common and no sample-only package in its production tree', async () => {
    expect(await installedCopies(dir, '@nestjs/common')).toHaveLength(1);
    const production = await sh(dir, 'npm', ['ls', '--all', '--omit=dev', '--parseable']);
    for (const name of SAMPLE_ONLY) expect(production).not.toContain(`node_modules/${name}\n`);
    const installed = join(dir, 'node_modules/nestjs-hotglue/package.json');
    const { dependencies } = JSON.parse(readFileSync(installed, 'utf8')) as { dependencies: object };
    expect(Object.keys(dependencies).sort()).toEqual(['cockatiel', 'lru-cache', 'undici', 'zod']);
  });

  it('answers 200 for its own tenant with a token the emulator accepts, 401, 403, then 429', async () => {
    const get = (user?: string, query = '') =>
      fetch(`${app}/hotglue/token${query}`, { headers: user ? { 'x-user': user } : {} });

    const own = await get('alice');
    expect(own.status).toBe(200);
    expect(own.headers.get('cache-control')).toBe('no-store');
    const { token, tenantId } = (await own.json()) as { token: string; tenantId: string };
    expect(tenantId).toBe('acme');
    const { HOTGLUE_API_URL, HOTGLUE_ENV_ID, HOTGLUE_FLOW_ID, HOTGLUE_PUBLIC_API_KEY } = emulatorEnv;
    const linked = await fetch(
      `${HOTGLUE_API_URL}/${HOTGLUE_ENV_ID}/${HOTGLUE_FLOW_ID}/acme/linkedSources?token=${token}`,
      { headers: { 'x-api-key': HOTGLUE_PUBLIC_API_KEY! } },
    );
    expect(linked.status).toBe(200);

    expect((await get()).status).toBe(401);
    expect((await get('alice', '?tenantId=globex')).status).toBe(403);
    expect((await get('alice')).status).toBe(200);
    const throttled = await get('alice'); // the fourth request of alice this minute; the limit is 3
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await get('bob')).status).toBe(200); // per user, not global
  });

  it('runs npx nestjs-hotglue check-config and fingerprint with the variables the app boots with', async () => {
    const env = { ...process.env, ...emulatorEnv };
    const summary = await sh(dir, 'npx', ['nestjs-hotglue', 'check-config'], env);
    expect(summary).toMatch(/^OK: hotglue configuration is valid .*signing key sha256:[0-9a-f]{16}/);
    const fingerprint = (await sh(dir, 'npx', ['nestjs-hotglue', 'fingerprint'], env)).trim();
    expect(summary).toContain(fingerprint);
  });

  if (name === 'esm') {
    it("runs the README's AppModule spec with Vitest and startHotglueTestEnv", async () => {
      const out = await sh(dir, 'npx', ['vitest', 'run']);
      expect(out).toMatch(/1 passed/);
    }, 120_000);
  }
});
