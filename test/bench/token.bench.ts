/**
 * The token benchmark: signing hotglue tenant tokens.
 *
 * One process, one 2048-bit key, scenarios interleaved over ROUNDS rounds (the order rotates each round so
 * no scenario always runs first or last), medians reported. Scenarios:
 * - seed-snippet: hotglue's doc snippet, `jsonwebtoken.sign` with the key base64-decoded on every call;
 * - nestjs-jwt-pem: `JwtService` from @nestjs/jwt registered with the PEM string, RS256;
 * - raw-sign: node:crypto synchronous sign of the same header.payload with a pre-parsed KeyObject (the floor);
 * - pool-sign: the same signature through crypto.sign's callback form (libuv thread pool), one at a time;
 * - createToken: HotglueTokenService, always a fresh signature, one at a time;
 * - getToken-hit: HotglueTokenService, cached;
 * - burst: 2,000 distinct tenants through getToken at once, beside the same 2,000 signed synchronously,
 *   with the event loop's delay recorded by perf_hooks.monitorEventLoopDelay.
 */
import 'reflect-metadata';
import { sign as cryptoSign } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import jsonwebtoken from 'jsonwebtoken';
import { HotglueModule, HotglueTokenService } from '../../src/hotglue/index.js';
import { signingInput, signRs256 } from '../../src/hotglue/token/rs256.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import type { BenchSuite } from './bench-suite.js';
import { median, opsPerSecond, round, syncOpsPerSecond } from './measure.js';

const ROUNDS = 7;
const SLICE_MS = 400;
const BURST_TENANTS = 2000;

interface BurstResult {
  opsPerSecond: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

async function measureBurst(run: () => Promise<unknown> | unknown): Promise<BurstResult> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // Let the monitor's timer start before the burst.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  await run();
  const elapsed = performance.now() - started;
  // One more tick so a burst that blocked the loop gets its delay recorded.
  await new Promise((resolve) => setTimeout(resolve, 5));
  histogram.disable();
  return {
    opsPerSecond: (BURST_TENANTS * 1000) / elapsed,
    loopDelayP99Ms: histogram.percentile(99) / 1e6,
    loopDelayMaxMs: histogram.max / 1e6,
  };
}

const suite: BenchSuite = {
  name: 'token',
  async run() {
    const key = generateTestSigningKey('bench');
    Logger.overrideLogger(false);
    const app = await NestFactory.createApplicationContext(
      HotglueModule.forRoot({ envId: 'bench.hotglue.xyz', signingKey: key.privateKeyBase64 }),
      { logger: false },
    );
    const tokens = app.get(HotglueTokenService);
    const jwtService = new JwtService({ privateKey: key.privateKeyPem, signOptions: { algorithm: 'RS256' } });
    const claims = () => {
      const iat = Math.floor(Date.now() / 1000);
      return { sub: 'tenant-1', iat, exp: iat + 3600 };
    };

    let n = 0;
    const scenarios: Record<string, () => Promise<number>> = {
      'seed-snippet': async () =>
        syncOpsPerSecond(() => {
          const privateKey = Buffer.from(key.privateKeyBase64, 'base64').toString('utf8');
          return jsonwebtoken.sign(claims(), privateKey, { algorithm: 'RS256' });
        }, SLICE_MS),
      'nestjs-jwt-pem': async () => syncOpsPerSecond(() => jwtService.sign(claims()), SLICE_MS),
      'raw-sign': async () =>
        syncOpsPerSecond(
          () => cryptoSign('sha256', Buffer.from(signingInput(claims())), key.privateKey),
          SLICE_MS,
        ),
      // The thread-pool path alone, one at a time: what a lone signature would cost without the inline path.
      'pool-sign': () => opsPerSecond(() => signRs256(signingInput(claims()), key.privateKey), SLICE_MS),
      createToken: () => opsPerSecond(() => tokens.createToken(`tenant-${n++ % 1000}`), SLICE_MS),
      'getToken-hit': () => opsPerSecond(() => tokens.getToken('tenant-hot'), SLICE_MS),
    };
    const names = Object.keys(scenarios);
    const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const asyncBursts: BurstResult[] = [];
    const syncBursts: BurstResult[] = [];

    await tokens.getToken('tenant-hot');
    for (let r = 0; r < ROUNDS; r++) {
      const order = names.map((_, i) => names[(i + r) % names.length]!);
      for (const name of order) samples[name]!.push(await scenarios[name]!());
      tokens.evictToken();
      const burstIds = Array.from({ length: BURST_TENANTS }, (_, i) => `burst-${r}-${i}`);
      const burst = () => Promise.all(burstIds.map((id) => tokens.getToken(id)));
      const syncBurst = () => {
        for (const id of burstIds) {
          const iat = Math.floor(Date.now() / 1000);
          cryptoSign('sha256', Buffer.from(signingInput({ sub: id, iat, exp: iat + 3600 })), key.privateKey);
        }
      };
      if (r % 2 === 0) {
        asyncBursts.push(await measureBurst(burst));
        syncBursts.push(await measureBurst(syncBurst));
      } else {
        syncBursts.push(await measureBurst(syncBurst));
        asyncBursts.push(await measureBurst(burst));
      }
      await tokens.getToken('tenant-hot');
    }
    await app.close();

    const ops = Object.fromEntries(names.map((name) => [name, median(samples[name]!)]));
    const burst = {
      opsPerSecond: median(asyncBursts.map((b) => b.opsPerSecond)),
      p99: median(asyncBursts.map((b) => b.loopDelayP99Ms)),
      max: median(asyncBursts.map((b) => b.loopDelayMaxMs)),
    };
    const sync = {
      opsPerSecond: median(syncBursts.map((b) => b.opsPerSecond)),
      p99: median(syncBursts.map((b) => b.loopDelayP99Ms)),
      max: median(syncBursts.map((b) => b.loopDelayMaxMs)),
    };
    const raw = ops['raw-sign']!;
    const ratios = {
      'createToken/raw-sign': ops.createToken! / raw,
      'createToken/seed-snippet': ops.createToken! / ops['seed-snippet']!,
      'createToken/nestjs-jwt-pem': ops.createToken! / ops['nestjs-jwt-pem']!,
      'getToken-hit/createToken': ops['getToken-hit']! / ops.createToken!,
      'pool-sign/raw-sign': ops['pool-sign']! / raw,
      'burst/raw-sign': burst.opsPerSecond / raw,
    };
    const rows = [
      ...names.map((name) => ({
        scenario: name,
        'ops/s': round(ops[name]!),
        'loop p99 ms': '',
        'loop max ms': '',
      })),
      {
        scenario: `burst ${BURST_TENANTS} getToken`,
        'ops/s': round(burst.opsPerSecond),
        'loop p99 ms': round(burst.p99, 1),
        'loop max ms': round(burst.max, 1),
      },
      {
        scenario: `burst ${BURST_TENANTS} sync sign`,
        'ops/s': round(sync.opsPerSecond),
        'loop p99 ms': round(sync.p99, 1),
        'loop max ms': round(sync.max, 1),
      },
    ];
    return {
      title: `Token signing (RSA 2048, medians of ${ROUNDS} interleaved rounds)`,
      rows,
      ratios,
      targets: {
        // The snippet and @nestjs/jwt ratios are context only: they are bounded by raw/snippet, which moves
        // between 2.5x and 4.2x across runs on this machine, so the old "3x" targets are retired.
        'createToken >= 0.9x raw-sign': ratios['createToken/raw-sign'] >= 0.9,
        'getToken hit >= 100x createToken': ratios['getToken-hit/createToken'] >= 100,
        'burst >= 1.6x raw-sign': ratios['burst/raw-sign'] >= 1.6,
        'burst event-loop p99 < 10 ms': burst.p99 < 10,
      },
      notes: [
        `UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
        'loop delay: perf_hooks.monitorEventLoopDelay (1 ms resolution) during the burst',
      ],
    };
  },
};

export default suite;
