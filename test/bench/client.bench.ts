/**
 * HotglueClient overhead: `getLinkedSources` through the client vs raw `undici` `Pool.request` (+ JSON parse)
 * on the same kind of keep-alive pool, both against the emulator on loopback, same concurrency, alternating
 * rounds, medians. The emulator runs in a child process (this file, started with `SERVE_FLAG`) so server
 * work does not share the client's event loop; the child reports its TCP connection count over IPC.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConsoleLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Pool } from 'undici';
import { HotglueClient, HotglueModule } from '../../src/hotglue/index.js';
import { signingInput, signRs256 } from '../../src/hotglue/token/rs256.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import type { BenchReport, BenchSuite } from './bench-suite.js';
import { median, round } from './measure.js';

const SERVE_FLAG = '--client-bench-server';
const IN_FLIGHT = 16;
const POOL_CONNECTIONS = 16;
const ROUNDS = 5;
const ROUND_MS = 2000;
const WARMUP_MS = 1500;
const TARGET_RATIO = 0.85;
const TENANT = 'bench-tenant';

interface ServerInfo {
  url: string;
  envId: string;
  flowId: string;
  publicApiKey: string;
  secretApiKey: string;
}

/** Child side: an emulator with one linked source; answers `connections` queries over IPC. */
async function serve(): Promise<void> {
  // The parent's public key (not a secret): tokens it signs must verify here.
  const emulator = await HotglueEmulator.start({
    jwtPublicKeys: [process.env.CLIENT_BENCH_PUBLIC_KEY ?? ''],
    seed: { linkedSources: [{ tenantId: TENANT, source: { tap: 'salesforce', label: 'Salesforce' } }] },
  });
  const info: ServerInfo = {
    url: emulator.url,
    envId: emulator.envId,
    flowId: emulator.defaultFlowId,
    publicApiKey: emulator.publicApiKey,
    secretApiKey: emulator.secretApiKey,
  };
  process.on('message', (message) => {
    if (message === 'connections') process.send?.({ connections: emulator.connections });
  });
  process.send?.(info);
  process.once('SIGTERM', () => {
    void emulator.close().then(() => process.exit(0));
  });
}

if (process.argv.includes(SERVE_FLAG)) await serve();

interface Server {
  info: ServerInfo;
  connections: () => Promise<number>;
  stop: () => void;
}

function startServer(publicKeyPem: string): Promise<Server> {
  const child = fork(fileURLToPath(import.meta.url), [SERVE_FLAG], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CLIENT_BENCH_PUBLIC_KEY: publicKeyPem },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const connections = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m) => resolve((m as { connections: number }).connections));
      child.send('connections');
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.once('message', (info) =>
      resolve({ info: info as ServerInfo, connections, stop: () => child.kill('SIGTERM') }),
    );
  });
}

/** Runs `op` with `IN_FLIGHT` concurrent loops for `ms`; returns ops/s and the number of ops. */
async function throughput(
  op: () => Promise<unknown>,
  ms: number,
): Promise<{ rate: number; count: number; cpuMicros: number }> {
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
    count,
    cpuMicros: (used.user + used.system) / count,
  };
}

const suite: BenchSuite = {
  name: 'client',
  async run(): Promise<BenchReport> {
    const key = generateTestSigningKey('client-bench');
    const server = await startServer(key.publicKeyPem);
    const { info } = server;
    const builder = Test.createTestingModule({
      imports: [
        HotglueModule.forRoot({
          envId: info.envId,
          signingKey: key.privateKeyBase64,
          publicApiKey: info.publicApiKey,
          secretApiKey: info.secretApiKey,
          apiUrl: info.url,
          flowId: info.flowId,
          http: { connections: POOL_CONNECTIONS },
        }),
      ],
    });
    // A production-like logger: debug off, so the client's per-call debug line is skipped (not even formatted).
    // With debug on, each call also pays for formatting and writing that line.
    builder.setLogger(new ConsoleLogger({ logLevels: ['fatal', 'error', 'warn'] }));
    const moduleRef = await builder.compile();
    await moduleRef.init();
    const client = moduleRef.get(HotglueClient);
    // Raw baseline: the same kind of pool (same origin, same socket count, keep-alive), same JSON parse.
    const raw = new Pool(info.url, {
      connections: POOL_CONNECTIONS,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
    const now = Math.floor(Date.now() / 1000);
    // The library's own encoding: the same token HotglueTokenService would sign.
    const token = await signRs256(signingInput({ sub: TENANT, iat: now, exp: now + 3600 }), key.privateKey);
    const path = `/${info.envId}/${info.flowId}/${TENANT}/linkedSources`;
    const rawCall = (apiKey: string, query: string) => async () => {
      const response = await raw.request({
        path: `${path}${query}`,
        method: 'GET',
        headers: { accept: 'application/json', 'x-api-key': apiKey },
      });
      const body = (await response.body.json()) as unknown[];
      if (response.statusCode !== 200 || body.length !== 1) throw new Error(`raw: ${response.statusCode}`);
    };
    const scenarios = {
      'raw secret': rawCall(info.secretApiKey, ''),
      'client secret': async () => {
        const sources = await client.getLinkedSources(TENANT, { auth: 'secret' });
        if (sources.length !== 1) throw new Error('client: unexpected body');
      },
      'raw tenant': rawCall(info.publicApiKey, `?token=${token}`),
      'client tenant': async () => {
        const sources = await client.getLinkedSources(TENANT, { auth: 'tenant' });
        if (sources.length !== 1) throw new Error('client: unexpected body');
      },
    } as const;
    type Name = keyof typeof scenarios;
    const rates: Record<Name, number[]> = {
      'raw secret': [],
      'client secret': [],
      'raw tenant': [],
      'client tenant': [],
    };
    const cpu: Record<Name, number[]> = {
      'raw secret': [],
      'client secret': [],
      'raw tenant': [],
      'client tenant': [],
    };
    try {
      for (const op of Object.values(scenarios)) await throughput(op, WARMUP_MS);
      const connectionsBefore = await server.connections();
      let requests = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate the order each round so drift (GC, CPU frequency) hits both sides alike.
        const order = (Object.keys(scenarios) as Name[]).sort(() => (round % 2 ? -1 : 1));
        for (const name of round % 2 ? order.reverse() : order) {
          const { rate, count, cpuMicros } = await throughput(scenarios[name], ROUND_MS);
          rates[name].push(rate);
          cpu[name].push(cpuMicros);
          requests += count;
        }
      }
      const connectionsAfter = await server.connections();
      const newConnections = connectionsAfter - connectionsBefore;
      const med = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)])) as Record<
        Name,
        number
      >;
      const secretRatio = med['client secret'] / med['raw secret'];
      const tenantRatio = med['client tenant'] / med['raw tenant'];
      return {
        title: `HotglueClient.getLinkedSources vs raw undici Pool (${IN_FLIGHT} in flight, ${ROUNDS} alternating rounds of ${ROUND_MS} ms, medians)`,
        rows: (Object.keys(rates) as Name[]).map((name) => ({
          scenario: name,
          'median ops/s': Math.round(med[name]),
          'min ops/s': Math.round(Math.min(...rates[name])),
          'max ops/s': Math.round(Math.max(...rates[name])),
          'bench-process CPU µs/op (median)': round(median(cpu[name]), 1),
        })),
        ratios: {
          'client/raw (secret)': round(secretRatio, 3),
          'client/raw (tenant)': round(tenantRatio, 3),
        },
        targets: {
          [`client/raw (secret) >= ${TARGET_RATIO}`]: secretRatio >= TARGET_RATIO,
          [`client/raw (tenant) >= ${TARGET_RATIO}`]: tenantRatio >= TARGET_RATIO,
          'no new TCP connection after warm-up': newConnections === 0,
        },
        notes: [
          `new TCP connections on the emulator after warm-up: ${newConnections} over ${requests} requests (${(newConnections / requests).toFixed(5)} per request); ${connectionsAfter} in total (two pools of ${POOL_CONNECTIONS} sockets).`,
          'the emulator runs in a child process on the same machine; both sides read and JSON-parse the whole body.',
          'tenant mode: the client gets the token from HotglueTokenService.getToken (cached); raw uses one pre-signed token.',
          'Nest logger levels fatal/error/warn (debug off, as in most production apps).',
          'CPU µs/op is user+system time of the bench process (client side only) per request: less sensitive to machine load than ops/s.',
        ],
      };
    } finally {
      await raw.close();
      await moduleRef.close();
      server.stop();
    }
  },
};

export default suite;
