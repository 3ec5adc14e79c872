/**
 * `npx tsx test/bench/index.ts --only startup`, the two start-up figures, each the median of
 * `ROUNDS` fresh processes per side, the two sides alternating so machine noise falls on both:
 * - import cost: `import('nestjs-hotglue')` (the built package, by its own name, as an ESM app loads it)
 *   after `@nestjs/core`, `@nestjs/common` and `@nestjs/config`, against importing those three alone
 *   (target: the library adds <= 0.25x of Nest's own import time);
 * - a minimal Nest app's process start to its first 200, with and without `HotglueModule.forRoot` (so
 *   work moved from import to module init still shows).
 * Needs `npm run build` first (the bench imports dist/, what users install).
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchReport, BenchSuite } from './bench-suite.js';
import { median, round } from './measure.js';

const ROUNDS = 9;
const IMPORT_TARGET = 0.25;
const probe = (name: string) => fileURLToPath(new URL(`./startup/${name}`, import.meta.url));
const built = fileURLToPath(new URL('../../dist/esm/index.js', import.meta.url));

/** Spawns `node args`; resolves once stdout matches `until`, with the match and the process to stop. */
function runNode(args: string[], env: NodeJS.ProcessEnv, until: RegExp) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise<{ out: string; stop: () => void }>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = until.exec(out);
      if (match) resolve({ out: match[0], stop: () => child.kill() });
    });
    child.on('exit', (code) => {
      if (!until.test(out)) reject(new Error(`${args.join(' ')} exited ${code} before printing ${until}`));
    });
  });
}

async function importCost(withLibrary: boolean): Promise<{ nest: number; library: number }> {
  const args = [probe('import-probe.mjs'), ...(withLibrary ? ['--with-library'] : [])];
  const { out, stop } = await runNode(args, process.env, /\{.*\}/);
  stop();
  return JSON.parse(out) as { nest: number; library: number };
}

async function firstResponse(withLibrary: boolean, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const args = [probe('minimal-app.mjs'), ...(withLibrary ? ['--with-library'] : [])];
  const { out, stop } = await runNode(args, env, /listening on (\S+)\n/);
  const url = /listening on (\S+)/.exec(out)![1]!.replace('[::1]', '127.0.0.1');
  try {
    const response = await fetch(`${url}/ping`);
    if (response.status !== 200) throw new Error(`minimal app answered ${response.status}`);
    await response.text();
    return performance.now() - started;
  } finally {
    stop();
  }
}

const suite: BenchSuite = {
  name: 'startup',
  async run(): Promise<BenchReport> {
    if (!existsSync(built)) throw new Error('startup bench: run `npm run build` first (it imports dist/)');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' })).toString('base64');
    const env = { ...process.env, BENCH_SIGNING_KEY: key };
    const nestAlone: number[] = [];
    const added: number[] = [];
    const appWithout: number[] = [];
    const appWith: number[] = [];
    await importCost(true); // warm the file cache for both sides
    await firstResponse(true, env);
    for (let round = 0; round < ROUNDS; round++) {
      nestAlone.push((await importCost(false)).nest);
      added.push((await importCost(true)).library);
      appWithout.push(await firstResponse(false, env));
      appWith.push(await firstResponse(true, env));
    }
    const importRatio = median(added) / median(nestAlone);
    const appDelta = median(appWith) - median(appWithout);
    return {
      title: `Start-up: import cost and process start to first response (median of ${ROUNDS} fresh processes each, alternating)`,
      rows: [
        {
          scenario: "import @nestjs/core + common + config (Nest's own)",
          'median ms': round(median(nestAlone), 1),
        },
        { scenario: "import('nestjs-hotglue') after those three", 'median ms': round(median(added), 1) },
        {
          scenario: 'minimal app: start to first 200, without HotglueModule',
          'median ms': round(median(appWithout), 1),
        },
        {
          scenario: 'minimal app: start to first 200, with HotglueModule.forRoot',
          'median ms': round(median(appWith), 1),
        },
      ],
      ratios: {
        'library import / Nest import': importRatio,
        'app start with / without HotglueModule': median(appWith) / median(appWithout),
      },
      targets: { [`library import <= ${IMPORT_TARGET}x Nest import`]: importRatio <= IMPORT_TARGET },
      notes: [
        `HotglueModule adds ${round(appDelta, 1)} ms (median) to a minimal app's start to first response`,
      ],
    };
  },
};

export default suite;
