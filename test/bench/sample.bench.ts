/**
 * `npx tsx test/bench/index.ts --only sample`: `GET /hotglue/token` for a cached tenant (auth guard, per-user
 * throttler, tenant guard, token service) against two routes of the same app with an equally sized JSON
 * body: one behind the same HS256 auth guard and nothing of ours (the baseline the token route is held to),
 * and a bare one (same helmet, no-store and error stack, no guard). Same connections and duration, after a
 * short warm-up, in rotating slices.
 */
import { spawn } from 'node:child_process';
import { createSecretKey, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { JwtService } from '@nestjs/jwt';
import autocannon from 'autocannon';
import type { BenchReport, BenchSuite } from './bench-suite.js';
import { cpuSeconds, median } from './measure.js';
import { measureInProcess } from './sample-in-process.js';
import { serverUrl } from './server-url.js';

const CONNECTIONS = 20;
/** Rounds; every route runs one slice of SLICE_SECONDS per round. */
const SLICES = 8;
const SLICE_SECONDS = 3;
const WARMUP_SECONDS = 2;
/** `/hotglue/token` against the auth-only route: what the throttler, the tenant guard and getToken cost. */
const TARGET_RATIO = 0.9;
/** Distinct signed-in users the requests rotate over (one tenant, so the token stays cached). */
const USERS = 10_000;

/**
 * Every request carries the bearer of the next of `bearers` (round robin): many users asking now and then,
 * as in production. One user for every request would make @nestjs/throttler's in-memory storage, which keeps
 * one expiry per hit and scans them on every request, the thing measured.
 */
async function load(url: string, bearers: readonly string[], duration: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    pipelining: 1,
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

interface Summary {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
}

function summarize(results: readonly autocannon.Result[]): Summary {
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  const seconds = results.reduce((sum, r) => sum + r.duration, 0);
  return {
    rps: requests / seconds,
    p50: median(results.map((r) => r.latency.p50)),
    p99: median(results.map((r) => r.latency.p99)),
    requests,
  };
}

const suite: BenchSuite = {
  name: 'sample',
  async run(): Promise<BenchReport> {
    const authSecret = randomBytes(32).toString('base64url');
    const server = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./sample-bench-server.ts', import.meta.url))],
      {
        env: { ...process.env, BENCH_AUTH_SECRET: authSecret },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const base = await serverUrl(server);
      const signer = new JwtService({ secret: createSecretKey(Buffer.from(authSecret)) });
      const bearers = Array.from({ length: USERS }, (_, i) =>
        signer.sign({ sub: `user-${i}`, tenants: ['bench-tenant'] }, { algorithm: 'HS256', expiresIn: 3600 }),
      );
      const auth = { authorization: `Bearer ${bearers[0]}` };
      const urls = {
        token: `${base}/hotglue/token`,
        tenant: `${base}/bench/auth-throttler-tenant`,
        throttler: `${base}/bench/auth-throttler`,
        auth: `${base}/bench/auth`,
        bare: `${base}/bench/bare`,
      };
      const first = await fetch(urls.token, { headers: auth });
      if (first.status !== 200) throw new Error(`token endpoint answered ${first.status}`);
      for (const url of Object.values(urls)) await load(url, bearers, WARMUP_SECONDS);
      // Short slices in rounds: load from other processes on a shared machine drifts over seconds. The token
      // and auth-only routes run back to back in every round, and their ratio is taken per round and reported
      // as the median, which drift between rounds cannot move. Where a slice sits in its round also moved
      // its CPU per request (an A/A run of one route against a copy of itself gave 1.07x), so the pair, as
      // one block, and the other routes take every place in the round in turn (four rotations), each
      // rotation once with token first and once with auth first. Every route gets the same time.
      const names = ['token', 'tenant', 'throttler', 'auth', 'bare'] as const;
      const orderOf = (round: number): (typeof names)[number][] => {
        const pair =
          Math.floor(round / 4) % 2 === 0 ? (['token', 'auth'] as const) : (['auth', 'token'] as const);
        const blocks = [pair, ['tenant'], ['throttler'], ['bare']] as const;
        return blocks.flatMap((_, i) => blocks[(i + round) % blocks.length]!);
      };
      const pairRatios: { rps: number[]; cpu: number[] } = { rps: [], cpu: [] };
      /** Per round, what each step adds to the CPU per request (us), for medians drift cannot move. */
      const stepCosts: { throttler: number[]; tenant: number[]; token: number[] } = {
        throttler: [],
        tenant: [],
        token: [],
      };
      const slices: Record<(typeof names)[number], autocannon.Result[]> = {
        token: [],
        tenant: [],
        throttler: [],
        auth: [],
        bare: [],
      };
      const cpu = { token: 0, tenant: 0, throttler: 0, auth: 0, bare: 0 };
      for (let i = 0; i < SLICES; i++) {
        const round: Partial<Record<(typeof names)[number], { rps: number; cpuPerRequest: number }>> = {};
        for (const name of orderOf(i)) {
          const before = cpuSeconds(server.pid);
          const result = await load(urls[name], bearers, SLICE_SECONDS);
          const used = cpuSeconds(server.pid) - before;
          slices[name].push(result);
          cpu[name] += used;
          round[name] = {
            rps: result.requests.total / result.duration,
            cpuPerRequest: used / result.requests.total,
          };
        }
        pairRatios.rps.push(round.token!.rps / round.auth!.rps);
        const us = (name: (typeof names)[number]) => round[name]!.cpuPerRequest * 1e6;
        stepCosts.throttler.push(us('throttler') - us('auth'));
        stepCosts.tenant.push(us('tenant') - us('throttler'));
        stepCosts.token.push(us('token') - us('tenant'));
        if (round.token!.cpuPerRequest > 0)
          pairRatios.cpu.push(round.auth!.cpuPerRequest / round.token!.cpuPerRequest);
      }
      for (const [name, results] of Object.entries(slices)) {
        const bad = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
        if (bad > 0) throw new Error(`${name}: ${bad} non-2xx responses or errors`);
      }
      // The HTTP server is idle from here: the same work in this process, without HTTP (see the file).
      const inProcess = await measureInProcess(authSecret, bearers);
      const oursUs = inProcess.authAndOursUs - inProcess.authUs;
      const token = summarize(slices.token);
      const withTenant = summarize(slices.tenant);
      const withThrottler = summarize(slices.throttler);
      const authOnly = summarize(slices.auth);
      const bare = summarize(slices.bare);
      // The target's figure: the median of per-round ratios (see above); totals are reported beside it.
      const ratio = median(pairRatios.rps);
      // Server CPU per request: the app's own cost, which the load generator and other processes on the
      // shared cores do not inflate the way they swing req/s.
      const cpuUs = (name: (typeof names)[number], summary: Summary) => (cpu[name] * 1e6) / summary.requests;
      const row = (scenario: string, name: (typeof names)[number], summary: Summary) => ({
        scenario,
        'req/s': Math.round(summary.rps),
        'p50 ms': summary.p50,
        'p99 ms': summary.p99,
        requests: summary.requests,
        'server CPU us/req': Math.round(cpuUs(name, summary)),
      });
      return {
        title: `sample app over HTTP (autocannon, ${CONNECTIONS} connections, ${SLICES * SLICE_SECONDS} s each in ${SLICES} rotating slices)`,
        rows: [
          row('GET /hotglue/token (cached tenant, all guards)', 'token', token),
          row('GET /bench/auth-throttler-tenant (no getToken)', 'tenant', withTenant),
          row('GET /bench/auth-throttler (auth + per-user throttler)', 'throttler', withThrottler),
          row('GET /bench/auth (same HS256 auth guard, nothing of ours)', 'auth', authOnly),
          row('GET /bench/bare (same stack, no guards)', 'bare', bare),
        ],
        ratios: {
          'token/auth-only (median of per-round ratios)': ratio,
          'token/auth-only by server CPU per request (median of per-round ratios)': median(pairRatios.cpu),
          'token/auth-only (totals)': token.rps / authOnly.rps,
          'token/bare': token.rps / bare.rps,
          'auth-only/bare': authOnly.rps / bare.rps,
          'token/auth-only by CPU per request, estimated: auth-only over HTTP / (that + ours in-process)':
            cpuUs('auth', authOnly) / (cpuUs('auth', authOnly) + oursUs),
          'token/auth-only by server CPU per request (totals)':
            cpuUs('auth', authOnly) / cpuUs('token', token),
        },
        targets: { [`token >= ${TARGET_RATIO}x auth-only`]: ratio >= TARGET_RATIO },
        notes: [
          `in-process, no HTTP, median of alternating rounds: the host's HS256 auth guard ${inProcess.authUs.toFixed(1)} us per request; our throttler, tenant guard, getToken and body ${oursUs.toFixed(1)} us`,
          "req/s = all requests / all seconds of the scenario; p50/p99 = median over its slices of autocannon's per-slice percentiles.",
          `requests rotate over ${USERS} users of one tenant (the per-user throttler keeps a record per user)`,
          'the app runs in its own process (test/bench/sample-bench-server.ts); autocannon runs in the bench process on the same machine.',
          'All routes pass helmet, the no-store middleware and the error filter; the auth-only route adds the HS256 auth guard; the token route adds the per-user throttler, the tenant guard and getToken on top.',
          `server CPU each step adds per request (median of per-round differences): throttler ${Math.round(median(stepCosts.throttler))} us, tenant guard ${Math.round(median(stepCosts.tenant))} us, getToken and the token body ${Math.round(median(stepCosts.token))} us`,
        ],
      };
    } finally {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  },
};

export default suite;
