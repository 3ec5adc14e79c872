import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { signAppToken } from '../../src/sample/auth/index.js';
import { REPO_ROOT, type SpawnedSample, spawnSample } from './spawn-sample.js';

// The built app, exactly as `npm run build` compiles it, but into its own folder so a concurrent build of
// dist/ by someone else cannot interfere.
const OUT_DIR = join(REPO_ROOT, 'test-output', 'prod-build');
const MAIN = join(OUT_DIR, 'main.js');
const startProdArgs = (): string[] => {
  const script = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts['start:prod'];
  // The same arguments as the script, pointed at this build.
  expect(script).toBe('node dist/main.js --prod');
  return [MAIN, '--prod'];
};
const started: SpawnedSample[] = [];

beforeAll(async () => {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', OUT_DIR], {
    cwd: REPO_ROOT,
  }).catch((error: { stdout?: string }) => {
    // tsc emits even with type errors elsewhere in the tree; only a missing main.js is fatal here.
    if (!existsSync(MAIN)) throw new Error(`build failed:\n${error.stdout ?? String(error)}`);
  });
}, 180_000);

afterAll(async () => {
  await Promise.all(started.map((sample) => sample.stop()));
});

async function runProd(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const sample = spawnSample(startProdArgs(), env);
  started.push(sample);
  const code = await sample.exited;
  return { code, output: sample.output() };
}

describe('npm run start:prod (the built app)', () => {
  it('never enters local mode: with no configuration it exits 1 listing every problem', async () => {
    const { code, output } = await runProd({});
    expect(code).toBe(1);
    expect(output).toContain('Invalid hotglue configuration');
    expect(output).toContain('APP_AUTH_SECRET: is required');
    expect(output).toContain('envId (HOTGLUE_ENV_ID)');
    expect(output).toMatch(/HOTGLUE_SIGNING_KEY/);
    expect(output).not.toContain('LOCAL MODE');
  }, 30_000);

  it('lists bad values without echoing them', async () => {
    const { code, output } = await runProd({
      APP_AUTH_SECRET: 'canary-short',
      HOTGLUE_ENV_ID: 'dev.example.hotglue.xyz',
      HOTGLUE_SIGNING_KEY: 'canary-not-a-key-c0ffee',
      HOTGLUE_API_URL: 'http://api.example.com',
      HOTGLUE_TOKEN_TTL_SECONDS: '99999',
      APP_RATE_LIMIT: '99999999999999999999999',
      APP_DOCS: 'yes',
    });
    expect(code).toBe(1);
    expect(output).toContain('APP_AUTH_SECRET: is 12 characters');
    expect(output).toMatch(/apiUrl \(HOTGLUE_API_URL\): must use https/);
    expect(output).toMatch(/tokenTtlSeconds \(HOTGLUE_TOKEN_TTL_SECONDS\)/);
    expect(output).toMatch(/HOTGLUE_SIGNING_KEY/);
    expect(output).toContain(
      'APP_RATE_LIMIT: must be a whole number of requests per minute, per user and per route, from 1 to 1,000,000.',
    );
    expect(output).toContain('APP_DOCS: must be true or false');
    expect(output).not.toContain('canary-not-a-key-c0ffee');
    expect(output).not.toContain('canary-short');
  }, 30_000);

  it.each([
    ['without APP_DOCS (and without NODE_ENV=production)', 404, {}],
    ['with APP_DOCS=true', 200, { APP_DOCS: 'true' }],
  ])(
    'starts with valid configuration and serves tokens; /docs %s answers %i',
    async (_, docsStatus, extra) => {
      const key = generateTestSigningKey('start-prod');
      const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKeyPem], requireJwt: true });
      try {
        const secret = 'prod-test-secret-0123456789abcdef0123';
        const sample = spawnSample(startProdArgs(), {
          APP_AUTH_SECRET: secret,
          HOTGLUE_ENV_ID: emulator.envId,
          HOTGLUE_SIGNING_KEY: key.privateKeyBase64,
          HOTGLUE_API_URL: emulator.url,
          HOTGLUE_PUBLIC_API_KEY: emulator.publicApiKey,
          HOTGLUE_SECRET_API_KEY: emulator.secretApiKey,
          HOTGLUE_FLOW_ID: emulator.defaultFlowId,
          HOST: '127.0.0.1',
          PORT: '0',
          ...extra,
        });
        started.push(sample);
        const output = await sample.waitFor(/listening on (http:\/\/\S+)/);
        const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
        const bearer = signAppToken(secret, { sub: 'u1', tenants: ['acme'] });
        const response = await fetch(`${url}/hotglue/token`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { tenantId: string; token: string };
        expect(body.tenantId).toBe('acme');
        // Never local mode: no demo page, no demo session; OpenAPI only when asked for.
        expect((await fetch(`${url}/docs`)).status).toBe(docsStatus);
        expect((await fetch(`${url}/docs-json`)).status).toBe(docsStatus);
        expect((await fetch(`${url}/`)).status).toBe(404);
        expect((await fetch(`${url}/demo/session`, { method: 'POST' })).status).toBe(404);
        expect((await fetch(`${url}/health`)).status).toBe(200);
        await sample.stop();
        expect(sample.output()).not.toContain(body.token);
        expect(sample.output()).not.toContain(key.privateKeyBase64.slice(100, 160));
      } finally {
        await emulator.close();
      }
    },
    60_000,
  );
});
