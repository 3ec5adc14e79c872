/**
 * Emulator throughput: autocannon against `GET /{env}/{flow}/{tenant}/linkedSources?token=...` with the
 * public key, the route every tenant-mode client call looks like. The emulator runs in a child process (this
 * same file, started with `SERVE_FLAG`) so autocannon and the server do not share one event loop.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signingInput, signRs256 } from '../../src/hotglue/token/rs256.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import type { BenchReport, BenchSuite } from './bench-suite.js';

const SERVE_FLAG = '--emulator-bench-server';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const DURATION_SECONDS = 10;
const TARGET_RPS = 5000;

/** What the child process reports once its emulator listens. */
interface ServerInfo {
  url: string;
  path: string;
  publicApiKey: string;
}

/** Child side: an emulator with one linked source and a valid token; reports itself over IPC. */
async function serve(): Promise<void> {
  const key = generateTestSigningKey('emulator-bench');
  const tenant = 'bench-tenant';
  const emulator = await HotglueEmulator.start({
    jwtPublicKeys: [key.publicKey],
    seed: {
      linkedSources: [{ tenantId: tenant, source: { tap: 'salesforce', config: { access_token: 'x' } } }],
    },
  });
  const now = Math.floor(Date.now() / 1000);
  // The library's own encoding: the same token HotglueTokenService would sign.
  const token = await signRs256(signingInput({ sub: tenant, iat: now, exp: now + 3600 }), key.privateKey);
  const path = `/${emulator.envId}/${emulator.defaultFlowId}/${tenant}/linkedSources?token=${token}`;
  const info: ServerInfo = { url: emulator.url, path, publicApiKey: emulator.publicApiKey };
  process.send?.(info);
  process.once('SIGTERM', () => {
    void emulator.close().then(() => process.exit(0));
  });
}

if (process.argv.includes(SERVE_FLAG)) await serve();

function startServer(): Promise<{ info: ServerInfo; stop: () => void }> {
  const file = fileURLToPath(import.meta.url);
  const child = fork(file, [SERVE_FLAG], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.once('message', (info) => resolve({ info: info as ServerInfo, stop: () => child.kill('SIGTERM') }));
  });
}

function run(info: ServerInfo, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${info.url}${info.path}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'x-api-key': info.publicApiKey },
  });
}

const suite: BenchSuite = {
  name: 'emulator',
  async run(): Promise<BenchReport> {
    const { info, stop } = await startServer();
    try {
      await run(info, WARMUP_SECONDS);
      const result = await run(info, DURATION_SECONDS);
      const rps = result.requests.average;
      const non2xx = result.non2xx + result.errors;
      return {
        title: `HotglueEmulator: GET linkedSources with a tenant token (${CONNECTIONS} connections, ${DURATION_SECONDS} s)`,
        rows: [
          {
            scenario: 'linkedSources + token',
            'req/s': Math.round(rps),
            'p50 ms': result.latency.p50,
            'p99 ms': result.latency.p99,
            requests: result.requests.total,
            'non-2xx/errors': non2xx,
          },
        ],
        ratios: {},
        targets: { [`emulator >= ${TARGET_RPS} req/s`]: rps >= TARGET_RPS && non2xx === 0 },
        notes: [
          'autocannon runs in the bench process, the emulator in a child process (both on this machine).',
          `warm-up ${WARMUP_SECONDS} s first; the token is verified once, then served from the verification cache.`,
        ],
      };
    } finally {
      stop();
    }
  },
};

export default suite;
