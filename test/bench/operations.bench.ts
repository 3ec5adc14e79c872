/**
 * The operations benchmark: key rotation and telemetry under load.
 *
 * - rotation: concurrent `getToken` over 500 tenants (waves of 100 calls) for a fixed time, once without
 *   and once with a key rotation every 50 ms (`rotateSigningKey`, alternating two keys, each rotation
 *   dropping every cached token). Reports calls, failed calls (must be 0) and throughput; the ratio shows
 *   the cost of re-signing after each rotation, not a failure.
 * - telemetry: `createToken` and a client call (`getLinkedSources`, secret key, against the emulator on
 *   loopback) with `@opentelemetry/api` loaded but no SDK registered (what an app gets by having the API
 *   installed) against the same with `telemetry: false` (what an app without the API gets), interleaved.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { HotglueClient, HotglueModule, HotglueTokenService } from '../../src/hotglue/index.js';
import { HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import type { BenchSuite } from './bench-suite.js';
import { median, opsPerSecond, round } from './measure.js';

const TELEMETRY_ROUNDS = 7;
const SLICE_MS = 400;

/** createToken and client-call throughput with the OpenTelemetry API (no SDK) on and off. */
async function telemetryOverhead() {
  const key = generateTestSigningKey('bench-otel');
  const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey] });
  emulator.linkSource(undefined, 'acme', { tap: 'salesforce' });
  const appWith = async (telemetry: boolean) =>
    NestFactory.createApplicationContext(
      HotglueModule.forRoot({
        envId: emulator.envId,
        signingKey: key.privateKeyBase64,
        secretApiKey: emulator.secretApiKey,
        apiUrl: emulator.url,
        flowId: emulator.defaultFlowId,
        telemetry,
      }),
      { logger: false },
    );
  const apps = { 'api-no-sdk': await appWith(true), off: await appWith(false) };
  const samples: Record<string, number[]> = {};
  let n = 0;
  for (let r = 0; r < TELEMETRY_ROUNDS; r++) {
    const order = (r % 2 === 0 ? ['api-no-sdk', 'off'] : ['off', 'api-no-sdk']) as Array<keyof typeof apps>;
    for (const mode of order) {
      const tokens = apps[mode].get(HotglueTokenService);
      const client = apps[mode].get(HotglueClient);
      const record = (name: string, value: number) => {
        samples[name] = [...(samples[name] ?? []), value];
      };
      record(
        `createToken ${mode}`,
        await opsPerSecond(() => tokens.createToken(`tenant-${n++ % 1000}`), SLICE_MS),
      );
      record(`getLinkedSources ${mode}`, await opsPerSecond(() => client.getLinkedSources('acme'), SLICE_MS));
    }
  }
  await apps['api-no-sdk'].close();
  await apps.off.close();
  await emulator.close();
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

const ROUNDS = 5;
const RUN_MS = 1_000;
const TENANTS = 500;
const WAVE = 100;
const ROTATE_EVERY_MS = 50;

interface LoadResult {
  calls: number;
  failed: number;
  rotations: number;
  opsPerSecond: number;
}

async function runLoad(
  tokens: HotglueTokenService,
  keys: readonly string[] | undefined,
): Promise<LoadResult> {
  let calls = 0;
  let failed = 0;
  let rotations = 0;
  let running = true;
  const timer = keys
    ? setInterval(() => {
        tokens.rotateSigningKey(keys[rotations++ % keys.length]!);
      }, ROTATE_EVERY_MS)
    : undefined;
  const stop = setTimeout(() => {
    running = false;
  }, RUN_MS);
  const started = performance.now();
  for (let wave = 0; running; wave++) {
    await Promise.all(
      Array.from({ length: WAVE }, (_, i) =>
        tokens.getToken(`tenant-${(wave * WAVE + i) % TENANTS}`).then(
          () => calls++,
          () => failed++,
        ),
      ),
    );
    // Requests arrive over I/O: let timers (the rotation) run between waves.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const elapsed = performance.now() - started;
  clearInterval(timer);
  clearTimeout(stop);
  return { calls, failed, rotations, opsPerSecond: (calls * 1000) / elapsed };
}

const suite: BenchSuite = {
  name: 'operations',
  async run() {
    const [a, b] = [generateTestSigningKey('bench-a'), generateTestSigningKey('bench-b')];
    const app = await NestFactory.createApplicationContext(
      HotglueModule.forRoot({ envId: 'bench.hotglue.xyz', signingKey: a.privateKeyBase64 }),
      { logger: false },
    );
    const tokens = app.get(HotglueTokenService);
    const steady: LoadResult[] = [];
    const rotating: LoadResult[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate the order so neither scenario always runs on a warm cache.
      if (r % 2 === 0) {
        steady.push(await runLoad(tokens, undefined));
        rotating.push(await runLoad(tokens, [b.privateKeyBase64, a.privateKeyBase64]));
      } else {
        rotating.push(await runLoad(tokens, [b.privateKeyBase64, a.privateKeyBase64]));
        steady.push(await runLoad(tokens, undefined));
      }
    }
    await app.close();
    const otel = await telemetryOverhead();
    const sum = (results: LoadResult[], field: keyof LoadResult) =>
      results.reduce((total, result) => total + result[field], 0);
    const row = (scenario: string, results: LoadResult[]) => ({
      scenario,
      'calls (all rounds)': sum(results, 'calls'),
      'failed calls': sum(results, 'failed'),
      rotations: sum(results, 'rotations'),
      'ops/s (median)': round(median(results.map((result) => result.opsPerSecond))),
    });
    const rows: Array<Record<string, string | number>> = [
      row(`getToken, ${TENANTS} tenants, no rotation`, steady),
      row(`getToken, ${TENANTS} tenants, rotation every ${ROTATE_EVERY_MS} ms`, rotating),
    ];
    for (const [scenario, ops] of Object.entries(otel)) {
      rows.push({
        scenario,
        'calls (all rounds)': '',
        'failed calls': '',
        rotations: '',
        'ops/s (median)': round(ops),
      });
    }
    const failed = sum(steady, 'failed') + sum(rotating, 'failed');
    return {
      title: `Operations: key rotation under concurrent getToken (${ROUNDS} rounds of ${RUN_MS} ms); OpenTelemetry overhead`,
      rows,
      ratios: {
        'rotating/steady getToken throughput':
          median(rotating.map((result) => result.opsPerSecond)) /
          median(steady.map((result) => result.opsPerSecond)),
        'createToken OTel API (no SDK)/off': otel['createToken api-no-sdk']! / otel['createToken off']!,
        'client call OTel API (no SDK)/off':
          otel['getLinkedSources api-no-sdk']! / otel['getLinkedSources off']!,
      },
      targets: { 'zero failed calls during rotations': failed === 0 },
      notes: [
        'each rotation drops every cached token, so the rotating run re-signs up to 500 tokens per rotation',
        `telemetry rows: medians of ${TELEMETRY_ROUNDS} interleaved ${SLICE_MS} ms slices; "off" is telemetry: false, the path an app without @opentelemetry/api takes`,
      ],
    };
  },
};

export default suite;
