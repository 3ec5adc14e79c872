/**
 * `npm run bench -- --only cold-start`: what nestjs-hotglue adds to the start of a Nest CLI 11 app, the way a
 * serverless or CLI user pays it on every start. Two apps, compiled the way `nest build` compiles them
 * (TypeScript to CommonJS, decorator metadata on), installed from the registry with the Nest 11 scaffold's
 * own dependencies in a directory of their own (cached under the OS temp dir, keyed by the dependency list):
 * - `plain`: the scaffold as `nest new` writes it (GET / answers 'Hello World!');
 * - `hotglue`: the same plus the README's wiring: `ConfigModule.forRoot()`, `HotglueModule` read by
 *   `hotglueConfig`, `ThrottlerModule`, and the token endpoint behind the stand-in auth, the per-user
 *   throttler and the tenant guard.
 * The package goes into the app's node_modules as `npm install` would lay out the packed tarball (the
 * manifest and dist/cjs + dist/esm; its dependencies hoisted beside it). Each round spawns one fresh process
 * per side, alternating, and times process start to the first 200 on GET /; the `hotglue` side then asks
 * for its first token (`GET /hotglue/token`, `x-user: alice`), timed on its own so work moved from boot to
 * the first request shows. Medians of `BENCH_COLD_ROUNDS` rounds (default 21, at least 9).
 * Needs `npm run build` first and the npm registry (or npm's cache) for the first install.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { BenchReport, BenchSuite } from './bench-suite.js';
import { median, round } from './measure.js';

const ROUNDS = Math.max(9, Number(process.env.BENCH_COLD_ROUNDS ?? 21));
const DELTA_TARGET_MS = 60;
const root = fileURLToPath(new URL('../../', import.meta.url));
const sources = fileURLToPath(new URL('./cold-start/app/', import.meta.url));

/** The Nest 11 scaffold's runtime dependencies, plus what the README's install line adds for Nest 11. */
function dependencies(): Record<string, string> {
  const scaffold = JSON.parse(
    readFileSync(join(root, 'test/consumers/variants/nest-11-cli/package.json'), 'utf8'),
  ) as { dependencies: Record<string, string> };
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  return {
    '@nestjs/common': scaffold.dependencies['@nestjs/common']!,
    '@nestjs/core': scaffold.dependencies['@nestjs/core']!,
    '@nestjs/platform-express': scaffold.dependencies['@nestjs/platform-express']!,
    'reflect-metadata': scaffold.dependencies['reflect-metadata']!,
    rxjs: scaffold.dependencies.rxjs!,
    '@nestjs/config': '^4.0.0',
    '@nestjs/throttler': manifest.peerDependencies['@nestjs/throttler']!,
    // What `npm install nestjs-hotglue` hoists beside it.
    ...manifest.dependencies,
  };
}

/** Installs (once per dependency list) the apps' node_modules; returns the directory. */
function prepareInstall(): string {
  const deps = dependencies();
  const key = createHash('sha256').update(JSON.stringify(deps)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `nestjs-hotglue-cold-start-${key}`);
  if (!existsSync(join(dir, 'node_modules/@nestjs/core'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'cold-start-cli11', private: true, dependencies: deps }, null, 2)}\n`,
    );
    console.error(`cold-start: installing the CLI 11 app's dependencies in ${dir}`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  // This build, laid out as npm lays out the packed tarball.
  const target = join(dir, 'node_modules/nestjs-hotglue');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(join(root, 'package.json'), join(target, 'package.json'));
  cpSync(join(root, 'dist/cjs'), join(target, 'dist/cjs'), { recursive: true });
  cpSync(join(root, 'dist/esm'), join(target, 'dist/esm'), { recursive: true });
  return dir;
}

/** Compiles the app the way `nest build` does (CommonJS, ES2023, decorators with metadata) into `dir/side`. */
function compileApp(dir: string, side: 'plain' | 'hotglue'): string {
  const out = join(dir, side, 'dist');
  rmSync(join(dir, side), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const files = ['main.ts', 'app.controller.ts', 'app.service.ts', `app.module.${side}.ts`];
  if (side === 'hotglue') files.push('token.controller.ts', 'auth.guard.ts');
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(join(sources, file), 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2023,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        esModuleInterop: true,
      },
    });
    writeFileSync(join(out, file.replace(`.${side}.ts`, '.ts').replace(/\.ts$/, '.js')), outputText);
  }
  return join(out, 'main.js');
}

interface Run {
  /** Wall time, process start to the first 200. */
  readonly firstOk: number;
  /** The main thread's time on a CPU up to then (Linux), which other processes' load inflates far less. */
  readonly cpu?: number;
  readonly token?: number;
}

/** ms the process's main thread has run on a CPU (first field of /proc/<pid>/schedstat, in ns); Linux only. */
function mainThreadCpuMs(pid: number | undefined): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

async function startOnce(main: string, env: NodeJS.ProcessEnv, askToken: boolean): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
        const match = /listening on (\S+)\n/.exec(out);
        if (match) resolve(match[1]!.replace('[::1]', '127.0.0.1'));
      });
      child.on('exit', (code) => reject(new Error(`${main} exited ${code} before listening:\n${out}`)));
    });
    const hello = await fetch(`${url}/`);
    const body = await hello.text();
    if (hello.status !== 200) throw new Error(`${main}: GET / answered ${hello.status} ${body}`);
    const firstOk = performance.now() - started;
    const cpu = mainThreadCpuMs(child.pid);
    if (!askToken) return { firstOk, cpu };
    const asked = performance.now();
    const response = await fetch(`${url}/hotglue/token`, { headers: { 'x-user': 'alice' } });
    const token = (await response.json()) as { token?: string };
    if (response.status !== 200 || typeof token.token !== 'string')
      throw new Error(`${main}: GET /hotglue/token answered ${response.status}`);
    return { firstOk, cpu, token: performance.now() - asked };
  } finally {
    child.kill();
  }
}

const suite: BenchSuite = {
  name: 'cold-start',
  async run(): Promise<BenchReport> {
    if (!existsSync(join(root, 'dist/cjs/hotglue/index.js')))
      throw new Error('cold-start bench: run `npm run build` first (it installs dist/)');
    const dir = prepareInstall();
    const plain = compileApp(dir, 'plain');
    const hotglue = compileApp(dir, 'hotglue');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOTGLUE_ENV_ID: 'dev.bench.hotglue.xyz',
      HOTGLUE_SIGNING_KEY: Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' })).toString(
        'base64',
      ),
    };
    // Warm the file cache for both sides; not counted.
    await startOnce(plain, env, false);
    await startOnce(hotglue, env, true);
    const without: number[] = [];
    const withLibrary: number[] = [];
    const firstToken: number[] = [];
    const cpuWithout: number[] = [];
    const cpuWith: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate which side goes first so a drift in machine load falls on both.
      const order = i % 2 === 0 ? (['plain', 'hotglue'] as const) : (['hotglue', 'plain'] as const);
      for (const side of order) {
        if (side === 'plain') {
          const run = await startOnce(plain, env, false);
          without.push(run.firstOk);
          if (run.cpu !== undefined) cpuWithout.push(run.cpu);
        } else {
          const run = await startOnce(hotglue, env, true);
          withLibrary.push(run.firstOk);
          if (run.cpu !== undefined) cpuWith.push(run.cpu);
          firstToken.push(run.token!);
        }
      }
    }
    const delta = median(withLibrary) - median(without);
    return {
      title: `Cold start: a Nest CLI 11 app, process start to first 200 (median of ${ROUNDS} fresh processes each, alternating)`,
      rows: [
        { scenario: 'CLI 11 scaffold as generated', 'median ms': round(median(without), 1) },
        {
          scenario: 'same + README wiring (ConfigModule, HotglueModule, ThrottlerModule, token endpoint)',
          'median ms': round(median(withLibrary), 1),
        },
        { scenario: 'added by the wiring (difference of medians)', 'median ms': round(delta, 1) },
        {
          scenario: 'first GET /hotglue/token after that first 200',
          'median ms': round(median(firstToken), 1),
        },
        ...(cpuWith.length === ROUNDS && cpuWithout.length === ROUNDS
          ? [
              {
                scenario: 'main-thread CPU time to the first 200: scaffold / with the wiring / added',
                'median ms': `${round(median(cpuWithout), 1)} / ${round(median(cpuWith), 1)} / ${round(median(cpuWith) - median(cpuWithout), 1)}`,
              },
            ]
          : []),
      ],
      ratios: { 'start with / without the wiring': median(withLibrary) / median(without) },
      targets: { [`the wiring adds <= ${DELTA_TARGET_MS} ms`]: delta <= DELTA_TARGET_MS },
      notes: [
        `without: ${without.map((v) => round(v)).join(', ')}`,
        `with: ${withLibrary.map((v) => round(v)).join(', ')}`,
        `first token: ${firstToken.map((v) => round(v, 1)).join(', ')}`,
        `apps and their node_modules in ${dir}`,
      ],
    };
  },
};

export default suite;
