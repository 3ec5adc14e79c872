/**
 * `npm run bench -- --only webhook-queue` (it builds first: the app under test runs dist/): webhook queue mode
 * on a local redis-server.
 * - `POST /hotglue/webhooks` in queue mode (capture, HMAC, parse, BullMQ add acknowledged by Redis) vs a
 *   bare POST route of the same app doing one Redis SET of the body: alternating slices (target >= 0.8x);
 * - p99 of the queue route under 200 concurrent deliveries;
 * - worker throughput: jobs per second a worker (concurrency 8, then 32) drains with a no-op handler.
 * The route server runs with `worker: false`, so the figures are the route's alone.
 * With BENCH_CALLGRIND=1 (and valgrind installed) it also counts the app's instructions per request of each
 * route under callgrind: a figure the host's CPU speed does not enter (about 3 minutes more).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { TestRedisServer } from '../support/redis-server.js';
import type { BenchReport, BenchSuite } from './bench-suite.js';
import { jobBody, signedDelivery } from './job-body.js';
import { cpuSeconds, median } from './measure.js';
import { serverUrl } from './server-url.js';

const CONNECTIONS = 20;
// Short slices, many pairs: this class of host changes CPU speed every few seconds, and a pair of adjacent
// half-second slices nearly always runs at one speed, where 1.5 s slices often straddled a change.
const SLICES = 30;
const SLICE_SECONDS = 0.5;
const WARMUP_SECONDS = 2;
const HIGH_CONNECTIONS = 200;
const HIGH_SECONDS = 5;
const ROUTE_TARGET = 0.8;

let counter = 0;

/** Signed deliveries to `url` for `length` seconds, or `{ amount }` requests (patient: under valgrind). */
function load(url: string, secret: string, length: number | { amount: number }, connections = CONNECTIONS) {
  return autocannon({
    url,
    connections,
    ...(typeof length === 'number' ? { duration: length } : { amount: length.amount, timeout: 60 }),
    pipelining: 1,
    requests: [
      { method: 'POST', setupRequest: (request) => signedDelivery(request, jobBody(counter++), secret) },
    ],
  });
}

const SERVER = fileURLToPath(new URL('./webhook-queue-bench-server.ts', import.meta.url));

function startServer(
  redisUrl: string,
  secret: string,
  worker: boolean,
  concurrency = 8,
  /** A command the server runs under (valgrind), and node flags. */
  wrapper: string[] = [],
  nodeFlags: string[] = [],
) {
  const argv = [...wrapper, process.execPath, ...nodeFlags, '--import', 'tsx', SERVER];
  return spawn(argv[0]!, argv.slice(1), {
    env: {
      ...process.env,
      BENCH_REDIS_URL: redisUrl,
      BENCH_WEBHOOK_SECRET: secret,
      BENCH_WORKER: worker ? '1' : '0',
      BENCH_CONCURRENCY: String(concurrency),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function stop(server: ReturnType<typeof spawn>) {
  server.kill('SIGTERM');
  await once(server, 'exit');
}

/** CPU seconds Redis has used so far (its own `INFO cpu`, main thread and children). */
async function redisCpuSeconds(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

const CALLGRIND_WARMUP = 4000;
const CALLGRIND_MEASURED = 1000;

/**
 * Instructions the app process executes per request of `route` (thousands), by callgrind: counting is off
 * during start-up and a warm-up that lets V8 optimise the hot paths, on for `CALLGRIND_MEASURED` requests.
 * `--predictable` keeps V8's background work on the main thread, so every instruction is counted once.
 */
async function instructionsPerRequest(redisUrl: string, secret: string, route: string): Promise<number> {
  const out = join(tmpdir(), `hotglue-bench-callgrind-${process.pid}-${route.replaceAll('/', '_')}`);
  const server = startServer(
    redisUrl,
    secret,
    false,
    8,
    ['valgrind', '-q', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}`],
    ['--predictable'],
  );
  try {
    const url = `${await serverUrl(server)}${route}`;
    await load(url, secret, { amount: CALLGRIND_WARMUP });
    execFileSync('callgrind_control', ['--instr=on', String(server.pid)], { stdio: 'ignore' });
    const result = await load(url, secret, { amount: CALLGRIND_MEASURED });
    execFileSync('callgrind_control', ['--instr=off', String(server.pid)], { stdio: 'ignore' });
    if (result.non2xx + result.errors > 0) throw new Error(`${route} under callgrind: non-2xx or errors`);
    await stop(server);
    const totals = /^totals: (\d+)/m.exec(readFileSync(out, 'utf8'));
    if (!totals) throw new Error(`${route} under callgrind: no totals in ${out}`);
    return Number(totals[1]) / result.requests.total / 1000;
  } finally {
    // Killed by a signal, a child has a `signalCode` and no `exitCode`.
    if (server.exitCode === null && server.signalCode === null) await stop(server);
    rmSync(out, { force: true });
  }
}

function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Waiting + active + delayed jobs of the default queue. */
async function pending(client: Redis): Promise<number> {
  const prefix = '{hotglue-webhooks}:deliveries';
  const [wait, active, delayed] = await Promise.all([
    client.llen(`${prefix}:wait`),
    client.llen(`${prefix}:active`),
    client.zcard(`${prefix}:delayed`),
  ]);
  return wait + active + delayed;
}

/** Jobs per second a worker drains from a queue holding `backlog` jobs. */
async function drainRate(redisUrl: string, secret: string, client: Redis, concurrency: number) {
  const backlog = await pending(client);
  const worker = startServer(redisUrl, secret, true, concurrency);
  try {
    await serverUrl(worker);
    const started = performance.now();
    while ((await pending(client)) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    return { backlog, jobsPerSecond: Math.round(backlog / ((performance.now() - started) / 1000)) };
  } finally {
    await stop(worker);
  }
}

const suite: BenchSuite = {
  name: 'webhook-queue',
  async run(): Promise<BenchReport> {
    const redis = await TestRedisServer.start();
    const client = new Redis(redis.url);
    const secret = randomBytes(32).toString('base64url');
    try {
      const server = startServer(redis.url, secret, false);
      const queue: autocannon.Result[] = [];
      const bare: autocannon.Result[] = [];
      /** CPU seconds per request of each slice: the app process, and Redis. */
      const cpu = {
        queue: [] as Array<{ app: number; redis: number }>,
        bare: [] as Array<{ app: number; redis: number }>,
      };
      let high: autocannon.Result;
      try {
        const base = await serverUrl(server);
        const urls = { queue: `${base}/hotglue/webhooks`, bare: `${base}/bench/bare-set` };
        await load(urls.queue, secret, WARMUP_SECONDS);
        await load(urls.bare, secret, WARMUP_SECONDS);
        for (let i = 0; i < SLICES; i++) {
          const order = i % 2 === 0 ? (['queue', 'bare'] as const) : (['bare', 'queue'] as const);
          for (const name of order) {
            const app0 = cpuSeconds(server.pid);
            const redis0 = await redisCpuSeconds(client);
            const result = await load(urls[name], secret, SLICE_SECONDS);
            const requests = Math.max(1, result.requests.total);
            cpu[name].push({
              app: (cpuSeconds(server.pid) - app0) / requests,
              redis: ((await redisCpuSeconds(client)) - redis0) / requests,
            });
            (name === 'queue' ? queue : bare).push(result);
          }
        }
        high = await load(urls.queue, secret, HIGH_SECONDS, HIGH_CONNECTIONS);
        for (const [name, results] of Object.entries({ queue, bare, high: [high] })) {
          const bad = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
          if (bad > 0) throw new Error(`${name}: ${bad} non-2xx responses or errors`);
        }
      } finally {
        await stop(server);
      }
      const ratio = median(
        queue.map((r, i) => r.requests.total / r.duration / (bare[i]!.requests.total / bare[i]!.duration)),
      );
      // CPU per request is what the route costs; other processes on the machine do not inflate it the way
      // they swing throughput. Ratios as throughput ratios: bare cost / queue cost.
      const cpuRatio = (part: (c: { app: number; redis: number }) => number) =>
        median(cpu.queue.map((q, i) => part(cpu.bare[i]!) / part(q)));
      const appCpuRatio = cpuRatio((c) => c.app);
      const totalCpuRatio = cpuRatio((c) => c.app + c.redis);
      const usPerRequest = (list: Array<{ app: number; redis: number }>, part: 'app' | 'redis') =>
        Math.round(median(list.map((c) => c[part])) * 1e6);
      const rps = (results: readonly autocannon.Result[]) =>
        Math.round(
          results.reduce((s, r) => s + r.requests.total, 0) / results.reduce((s, r) => s + r.duration, 0),
        );
      const drain8 = await drainRate(redis.url, secret, client, 8);
      // Refill for the second worker figure: the route again, briefly.
      const refill = startServer(redis.url, secret, false);
      try {
        await load(`${await serverUrl(refill)}/hotglue/webhooks`, secret, 5);
      } finally {
        await stop(refill);
      }
      const drain32 = await drainRate(redis.url, secret, client, 32);
      const counted =
        process.env.BENCH_CALLGRIND === '1' && hasValgrind()
          ? {
              queue: await instructionsPerRequest(redis.url, secret, '/hotglue/webhooks'),
              bare: await instructionsPerRequest(redis.url, secret, '/bench/bare-set'),
            }
          : undefined;
      return {
        title: `webhook queue mode (autocannon, ${CONNECTIONS} connections, ${SLICES} alternating slices of ${SLICE_SECONDS} s per route, ratio = median of per-pair ratios; local redis-server without persistence)`,
        rows: [
          {
            scenario: 'POST /hotglue/webhooks, queue mode (add acknowledged by Redis)',
            'ops/s': rps(queue),
            'p99 ms': median(queue.map((r) => r.latency.p99)),
          },
          {
            scenario: 'POST /bench/bare-set (JSON parser + one Redis SET)',
            'ops/s': rps(bare),
            'p99 ms': median(bare.map((r) => r.latency.p99)),
          },
          {
            scenario: `POST /hotglue/webhooks, queue mode, ${HIGH_CONNECTIONS} connections (${HIGH_SECONDS} s)`,
            'ops/s': rps([high!]),
            'p99 ms': high!.latency.p99,
          },
          {
            scenario: `worker, no-op handler, concurrency 8 (${drain8.backlog} queued jobs)`,
            'ops/s': drain8.jobsPerSecond,
            'p99 ms': '',
          },
          {
            scenario: `worker, no-op handler, concurrency 32 (${drain32.backlog} queued jobs)`,
            'ops/s': drain32.jobsPerSecond,
            'p99 ms': '',
          },
        ],
        ratios: {
          'queue route/bare SET route': ratio,
          'the same, app CPU per request (bare/queue)': appCpuRatio,
          'the same, app + Redis CPU per request (bare/queue)': totalCpuRatio,
          ...(counted && {
            'the same, app instructions per request (bare/queue)': counted.bare / counted.queue,
          }),
        },
        targets: { [`queue route >= ${ROUTE_TARGET}x bare SET route`]: ratio >= ROUTE_TARGET },
        notes: [
          'The route server runs worker: false; workers are measured apart, draining the backlog the route left.',
          `CPU per request (median of slices, /proc for the app, INFO cpu for Redis): queue route ${usPerRequest(cpu.queue, 'app')} us app + ${usPerRequest(cpu.queue, 'redis')} us Redis; bare SET route ${usPerRequest(cpu.bare, 'app')} us app + ${usPerRequest(cpu.bare, 'redis')} us Redis.`,
          counted
            ? `Instructions per request (callgrind, app process, ${CALLGRIND_MEASURED} requests after ${CALLGRIND_WARMUP} of warm-up): queue route ${Math.round(counted.queue)} k, bare SET route ${Math.round(counted.bare)} k.`
            : 'Instructions per request: not counted (BENCH_CALLGRIND=1 with valgrind installed counts them).',
        ],
      };
    } finally {
      client.disconnect();
      await redis.destroy();
    }
  },
};

export default suite;
