/**
 * `npm run load [-- --short]`: load and soak of the sample app in its own process (the bench server: the
 * sample's full stack against an in-process emulator). Phases, one after the other:
 *   1. `GET /hotglue/token` with USERS users spread over TENANTS tenants (every tenant signed once, then cached);
 *   2. `GET /hotglue/linked-sources` (a HotglueClient call to the emulator per request);
 *   3. `POST /hotglue/webhooks`, signed job events, one in ten a repeat of an earlier one (acknowledged,
 *      not processed again).
 * Fails (exit 1) on any transport error, non-2xx or 5xx answer. Reports req/s and p99 latency per phase, the
 * server's RSS sampled every second (growth after warm-up) and its event-loop delay. `--short` is CI's
 * version (under 60 s); the default runs each phase for 60 s. Never part of `npm test`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSecretKey, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { JwtService } from '@nestjs/jwt';
import autocannon from 'autocannon';
import { jobBody, signedDelivery } from '../bench/job-body.js';

const short = process.argv.includes('--short');
const PHASE_SECONDS = short ? 15 : 60;
/** Warm-up: every user and tenant at least twice, so caches and throttler records are filled first. */
const WARMUP_REQUESTS = 10_000;
const CONNECTIONS = 50;
const USERS = 5_000;
const TENANTS = 1_000;
/** The top of APP_RATE_LIMIT's range: the load must measure the app, not the limiter refusing it. */
const RATE_LIMIT = 1_000_000;

interface ServerStats {
  readonly rss: number;
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
}

/** Starts the bench server; resolves with its URL and a live list of its per-second stats. */
async function startServer(
  authSecret: string,
  webhookSecret: string,
): Promise<{ child: ChildProcess; url: string; stats: ServerStats[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../bench/sample-bench-server.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        BENCH_AUTH_SECRET: authSecret,
        BENCH_WEBHOOK_SECRET: webhookSecret,
        BENCH_STATS: '1',
        BENCH_RATE_LIMIT: String(RATE_LIMIT),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const stats: ServerStats[] = [];
  let resolveUrl: (url: string) => void;
  const url = new Promise<string>((resolve) => {
    resolveUrl = resolve;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const message = JSON.parse(line) as { url?: string } & ServerStats;
    if (message.url) resolveUrl(message.url);
    else stats.push(message);
  });
  const exited = once(child, 'exit').then(() => {
    throw new Error('the sample server exited before listening');
  });
  return { child, url: await Promise.race([url, exited]), stats };
}

type Limit = { duration: number } | { amount: number };

/** GETs, each with the bearer of the next user (round robin). */
function runGets(url: string, bearers: readonly string[], limit: Limit) {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    ...limit,
    requests: [
      {
        setupRequest: (request) => {
          const bearer = bearers[next++ % bearers.length]!;
          return { ...request, headers: { ...request.headers, authorization: `Bearer ${bearer}` } };
        },
      },
    ],
  });
}

let deliveries = 0;

/**
 * Signed webhook deliveries of new job events; every tenth repeats an earlier job and status (a fresh
 * `task_id` and timestamps, as a hotglue retry may carry), which the dedupe key recognises.
 */
function runWebhooks(url: string, secret: string, limit: Limit) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    ...limit,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const n = deliveries++;
          return signedDelivery(request, jobBody(n % 10 === 9 ? n - 5 : n), secret);
        },
      },
    ],
  });
}

const MB = 1024 * 1024;
const authSecret = randomBytes(32).toString('base64url');
const signer = new JwtService({ secret: createSecretKey(Buffer.from(authSecret)) });
const bearers = Array.from({ length: USERS }, (_, i) =>
  signer.sign(
    { sub: `user-${i}`, tenants: [`tenant-${i % TENANTS}`] },
    { algorithm: 'HS256', expiresIn: 7200 },
  ),
);
const webhookSecret = randomBytes(32).toString('base64url');
const server = await startServer(authSecret, webhookSecret);
const failures: string[] = [];
const lines: string[] = [];
try {
  const phases: Array<{ name: string; run: (limit: Limit) => Promise<autocannon.Result> }> = [
    { name: 'GET /hotglue/token', run: (limit) => runGets(`${server.url}/hotglue/token`, bearers, limit) },
    {
      name: 'GET /hotglue/linked-sources',
      run: (limit) => runGets(`${server.url}/hotglue/linked-sources`, bearers, limit),
    },
    {
      name: 'POST /hotglue/webhooks',
      run: (limit) => runWebhooks(`${server.url}/hotglue/webhooks`, webhookSecret, limit),
    },
  ];
  for (const phase of phases) {
    await phase.run({ amount: WARMUP_REQUESTS });
    const warmSamples = server.stats.length;
    const result = await phase.run({ duration: PHASE_SECONDS });
    const samples = server.stats.slice(warmSamples);
    const rss = samples.map((s) => s.rss);
    const growth = rss.length > 1 ? (rss.at(-1)! - rss[0]!) / MB : 0;
    const loopP99 = Math.max(...samples.map((s) => s.loopP99Ms));
    const bad = result.errors + result.timeouts + result.non2xx;
    if (bad > 0)
      failures.push(
        `${phase.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
      );
    lines.push(
      `| ${phase.name} | ${Math.round(result.requests.average)} | ${result.latency.p99} | ${result.requests.total} | ${bad} | ` +
        `${(rss[0]! / MB).toFixed(0)} -> ${(rss.at(-1)! / MB).toFixed(0)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB) | ${loopP99} ms |`,
    );
  }
} finally {
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
}

console.log(
  `\n## load (${short ? 'short' : 'full'}: ${PHASE_SECONDS} s per phase after ${WARMUP_REQUESTS} warm-up requests, ${CONNECTIONS} connections, ${USERS} users over ${TENANTS} tenants)\n`,
);
console.log(
  '| phase | req/s | p99 ms | requests | errors + non-2xx | server RSS after warm-up (growth) | worst loop p99 per s |',
);
console.log('|---|---|---|---|---|---|---|');
for (const line of lines) console.log(line);
if (failures.length > 0) {
  console.error(`\nload: FAILED\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('\nload: 0 errors, 0 non-2xx');
