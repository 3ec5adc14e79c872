/**
 * Provider calls: `client.provider(tenant, tap).request(GET)` with cached credentials vs undici's
 * `Agent.request` with the same bearer on the same kind of agent, both against a loopback stub in a child
 * process (so the stub's work does not share the client's event loop), same concurrency, alternating rounds,
 * medians; both read and JSON-parse the body. Also reported: the 401-then-refresh path (the provider refuses
 * the cached token, fresh credentials come from the emulator, the call is resent) and the cold path
 * (credentials not cached), each run sequentially against the in-process emulator's provider API.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConsoleLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Agent } from 'undici';
import type * as Hotglue from '../../src/hotglue/index.js';
import type * as HotglueTesting from '../../src/hotglue-testing/index.js';
import type { BenchReport, BenchSuite } from './bench-suite.js';
import { median, round } from './measure.js';

/**
 * The built package (`npm run build`), as users run it: tsc's output keeps native `#private` fields and no
 * esbuild helpers, which the sources run through tsx would add to every call.
 */
const BUILT = {
  main: fileURLToPath(new URL('../../dist/esm/index.js', import.meta.url)),
  testing: fileURLToPath(new URL('../../dist/esm/testing.js', import.meta.url)),
};
const SERVE_FLAG = '--provider-bench-stub';
const IN_FLIGHT = 16;
const CONNECTIONS = 16;
const ROUNDS = 5;
const ROUND_MS = 2000;
/** Per side, before the rounds: JIT, sockets opened, credentials cached. */
const WARMUP_MS = 3000;
/** The provider transport's limits, set explicitly so the raw agent below is built with the very same. */
const KEEP_ALIVE_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const SLOW_PATH_OPS = 300;
const TARGET_RATIO = 0.9;
const TENANT = 'bench-tenant';
const STUB = 'stub';
const EMULATED = 'salesforce';
const TOKEN = 'bench-provider-token-0123456789abcdef';
const BODY = Buffer.from(JSON.stringify({ id: 'u-1', name: 'Bench User', organization: { id: 'o-1' } }));

/** Child side: a provider stub that answers 200 with a small JSON body to the right bearer, else 401. */
async function serve(): Promise<void> {
  const expected = `Bearer ${TOKEN}`;
  const server = createServer((req, res) => {
    const ok = req.headers.authorization === expected;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', 'content-length': BODY.length });
    res.end(BODY);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

if (process.argv.includes(SERVE_FLAG)) await serve();

function startStub(): Promise<{ url: string; stop: () => void }> {
  const child = fork(fileURLToPath(import.meta.url), [SERVE_FLAG], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`provider stub exited with ${code}`)));
    child.once('message', (m) =>
      resolve({ url: (m as { url: string }).url, stop: () => child.kill('SIGTERM') }),
    );
  });
}

async function throughput(op: () => Promise<unknown>, ms: number) {
  const deadline = performance.now() + ms;
  let count = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (performance.now() < deadline) {
      await op();
      count++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const used = process.cpuUsage(cpu);
  return {
    rate: (count * 1000) / (performance.now() - started),
    cpuMicros: (used.user + used.system) / count,
  };
}

/** Sequential latency of `op`, ms per op (median of `n`). */
async function latency(op: () => Promise<unknown>, n: number): Promise<{ medianMs: number; p95Ms: number }> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await op();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: median(samples), p95Ms: samples[Math.floor(samples.length * 0.95)]! };
}

const suite: BenchSuite = {
  name: 'provider',
  async run(): Promise<BenchReport> {
    if (!existsSync(BUILT.main) || !existsSync(BUILT.testing)) {
      throw new Error('provider bench: run `npm run build` first (it imports dist/, what users install)');
    }
    const { HotglueClient, HotglueModule } = (await import(BUILT.main)) as typeof Hotglue;
    const { generateTestSigningKey, HotglueEmulator } = (await import(
      BUILT.testing
    )) as typeof HotglueTesting;
    const stub = await startStub();
    const key = generateTestSigningKey('provider-bench');
    const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKeyPem] });
    const stubOrigin = new URL(stub.url).origin;
    const builder = Test.createTestingModule({
      imports: [
        HotglueModule.forRoot({
          envId: emulator.envId,
          signingKey: key.privateKeyBase64,
          publicApiKey: emulator.publicApiKey,
          secretApiKey: emulator.secretApiKey,
          apiUrl: emulator.url,
          flowId: emulator.defaultFlowId,
          providers: {
            [STUB]: { baseUrl: stub.url, origins: [stubOrigin] },
            [EMULATED]: emulator.providerEntry(EMULATED),
          },
          providerHttp: {
            connections: CONNECTIONS,
            keepAliveTimeoutMs: KEEP_ALIVE_MS,
            attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
            maxResponseBytes: MAX_RESPONSE_BYTES,
          },
        }),
      ],
    });
    builder.setLogger(new ConsoleLogger({ logLevels: ['fatal', 'error', 'warn'] }));
    const moduleRef = await builder.compile();
    await moduleRef.init();
    const client = moduleRef.get(HotglueClient);
    const expiresAt = new Date(Date.now() + 24 * 3_600_000).toISOString();
    emulator.linkSource(undefined, TENANT, {
      tap: STUB,
      config: { access_token: TOKEN, refresh_token: 'bench-rt', expires_at: expiresAt },
    });
    emulator.linkSource(undefined, TENANT, {
      tap: EMULATED,
      config: { access_token: 'bench-emulated-at', refresh_token: 'bench-rt2', expires_at: expiresAt },
    });
    // Raw baseline: an undici Agent built exactly as the library's provider agent is (ProviderAgent):
    // same connections, keep-alive, timeouts, response cap and pipelining.
    const raw = new Agent({
      connections: CONNECTIONS,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: Math.max(KEEP_ALIVE_MS, 600_000),
      headersTimeout: ATTEMPT_TIMEOUT_MS,
      bodyTimeout: ATTEMPT_TIMEOUT_MS,
      maxResponseSize: MAX_RESPONSE_BYTES,
      pipelining: 1,
    });
    const scenarios = {
      'raw undici Agent.request': async () => {
        const response = await raw.request({
          origin: stubOrigin,
          path: '/me',
          method: 'GET',
          headers: { accept: 'application/json', authorization: `Bearer ${TOKEN}` },
        });
        const body = (await response.body.json()) as { id?: string };
        if (response.statusCode !== 200 || body.id !== 'u-1') throw new Error(`raw: ${response.statusCode}`);
      },
      'client.provider().request': async () => {
        const response = await client
          .provider(TENANT, STUB)
          .request({ path: '/me', headers: { accept: 'application/json' } });
        const body = await response.json<{ id?: string }>();
        if (response.status !== 200 || body.id !== 'u-1') throw new Error(`provider: ${response.status}`);
      },
    } as const;
    type Name = keyof typeof scenarios;
    const rates: Record<Name, number[]> = { 'raw undici Agent.request': [], 'client.provider().request': [] };
    const cpu: Record<Name, number[]> = { 'raw undici Agent.request': [], 'client.provider().request': [] };
    try {
      for (const op of Object.values(scenarios)) await throughput(op, WARMUP_MS);
      for (let round = 0; round < ROUNDS; round++) {
        const order = Object.keys(scenarios) as Name[];
        for (const name of round % 2 ? order.reverse() : order) {
          const { rate, cpuMicros } = await throughput(scenarios[name], ROUND_MS);
          rates[name].push(rate);
          cpu[name].push(cpuMicros);
        }
      }
      const med = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)])) as Record<
        Name,
        number
      >;
      const ratio = med['client.provider().request'] / med['raw undici Agent.request'];
      // CPU per call, client side only: what other processes on the machine inflate least.
      const cpuMed = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)])) as Record<
        Name,
        number
      >;
      const cpuRatio = cpuMed['raw undici Agent.request'] / cpuMed['client.provider().request'];
      const load = loadavg()
        .map((v) => v.toFixed(2))
        .join(' ');

      // Slow paths, sequential, against the emulator's provider API (in this process).
      const emulated = client.provider(TENANT, EMULATED);
      await emulated.request({ path: '/me' });
      const warm = await latency(async () => {
        if ((await emulated.request({ path: '/me' })).status !== 200) throw new Error('warm');
      }, SLOW_PATH_OPS);
      const refresh = await latency(async () => {
        emulator.rotateProviderToken(TENANT, EMULATED); // the provider refuses the cached token from now on
        const response = await emulated.request({ path: '/me' });
        if (response.status !== 200 || response.attempts !== 2) throw new Error('refresh');
      }, SLOW_PATH_OPS);
      const cold = await latency(async () => {
        client.evictCredentials(TENANT, EMULATED);
        if ((await emulated.request({ path: '/me' })).status !== 200) throw new Error('cold');
      }, SLOW_PATH_OPS);
      const slowRow = (scenario: string, l: { medianMs: number; p95Ms: number }) => ({
        scenario,
        'median ops/s': '',
        'min ops/s': '',
        'max ops/s': '',
        'client CPU µs/op (median)': '',
        'sequential ms/op (median)': round(l.medianMs, 3),
        'sequential ms/op (p95)': round(l.p95Ms, 3),
      });
      return {
        title: `client.provider().request GET vs raw undici Agent.request, same bearer (${IN_FLIGHT} in flight, ${ROUNDS} alternating rounds of ${ROUND_MS} ms, medians)`,
        rows: [
          ...(Object.keys(rates) as Name[]).map((name) => ({
            scenario: name,
            'median ops/s': Math.round(med[name]),
            'min ops/s': Math.round(Math.min(...rates[name])),
            'max ops/s': Math.round(Math.max(...rates[name])),
            'client CPU µs/op (median)': round(cpuMed[name], 1),
            'sequential ms/op (median)': '',
            'sequential ms/op (p95)': '',
          })),
          slowRow('emulated provider, cached credentials', warm),
          slowRow('emulated provider, 401 then refresh and resend', refresh),
          slowRow('emulated provider, cold (credentials fetched)', cold),
        ],
        ratios: {
          'provider/raw (cached credentials)': round(ratio, 3),
          'provider/raw by client CPU per call (raw µs / provider µs)': round(cpuRatio, 3),
          'refresh path / cached (latency)': round(refresh.medianMs / warm.medianMs, 2),
          'cold path / cached (latency)': round(cold.medianMs / warm.medianMs, 2),
        },
        targets: {
          [`provider/raw (cached credentials) >= ${TARGET_RATIO}`]: ratio >= TARGET_RATIO,
          [`provider/raw by client CPU per call >= ${TARGET_RATIO}`]: cpuRatio >= TARGET_RATIO,
        },
        notes: [
          `the stub runs in a child process on the same machine (${cpus().length} cores, load average ${load} at the end of the rounds): ops/s move with load; CPU µs/op is the client side only.`,
          `both sides: the same undici Agent options, ${IN_FLIGHT} in flight, ${WARMUP_MS} ms warm-up each, then ${ROUNDS} rounds alternating which side goes first; medians. Both build their request per call and read and JSON-parse the whole body; the provider side also calls client.provider() per call, checks and resolves the URL, reads the cached credentials, arms its time budget and starts telemetry (API present, no SDK).`,
          'the library is the built package (dist/, `npm run build`), as users run it; the stub and this harness run through tsx.',
          `slow paths: ${SLOW_PATH_OPS} sequential calls each against the emulator's provider API in this process; "refresh" = rotate the token at the provider, so each call sees 401, fetches credentials from hotglue (emulator) once and resends; "cold" = evictCredentials before each call.`,
        ],
      };
    } finally {
      await raw.close();
      await moduleRef.close();
      await emulator.close();
      stub.stop();
    }
  },
};

export default suite;
