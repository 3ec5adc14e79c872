/**
 * Cached tenant credentials: `getSourceCredentials` served from the cache vs what a host app does without it,
 * a `getLinkedSources(tenant, { config: true, tapName })` round trip to hotglue (the emulator on loopback,
 * in this process) and digging the token out of `config`. Sequential calls, alternating rounds, medians.
 */
import { ConsoleLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HotglueClient, HotglueModule } from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import type { BenchReport, BenchSuite } from './bench-suite.js';
import { median, opsPerSecond, round } from './measure.js';

const ROUNDS = 5;
const ROUND_MS = 1000;
const WARMUP_MS = 500;
const TENANT = 'bench-tenant';
const TAP = 'salesforce';

const suite: BenchSuite = {
  name: 'credentials',
  async run(): Promise<BenchReport> {
    const key = generateTestSigningKey('credentials-bench');
    const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKeyPem] });
    emulator.linkSource(undefined, TENANT, {
      tap: TAP,
      config: {
        access_token: 'emu-at-bench',
        refresh_token: 'emu-rt-bench',
        token_type: 'Bearer',
        expires_in: 3600,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        instance_url: emulator.providerUrl(TAP),
      },
    });
    const builder = Test.createTestingModule({
      imports: [
        HotglueModule.forRoot({
          envId: emulator.envId,
          signingKey: key.privateKeyBase64,
          publicApiKey: emulator.publicApiKey,
          secretApiKey: emulator.secretApiKey,
          apiUrl: emulator.url,
          flowId: emulator.defaultFlowId,
        }),
      ],
    });
    builder.setLogger(new ConsoleLogger({ logLevels: ['fatal', 'error', 'warn'] }));
    const moduleRef = await builder.compile();
    await moduleRef.init();
    const client = moduleRef.get(HotglueClient);
    const scenarios = {
      'getSourceCredentials (cached)': async () => {
        const credentials = await client.getSourceCredentials(TENANT, TAP);
        if (!credentials.accessToken) throw new Error('no token');
      },
      'getLinkedSources(config) round trip': async () => {
        const [source] = await client.getLinkedSources(TENANT, { config: true, tapName: TAP });
        if (typeof source?.config?.access_token !== 'string') throw new Error('no token');
      },
    } as const;
    type Name = keyof typeof scenarios;
    const rates: Record<Name, number[]> = {
      'getSourceCredentials (cached)': [],
      'getLinkedSources(config) round trip': [],
    };
    try {
      for (const op of Object.values(scenarios)) await opsPerSecond(op, WARMUP_MS);
      emulator.clearRequests();
      let cachedCalls = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const names = Object.keys(scenarios) as Name[];
        for (const name of round % 2 ? names.reverse() : names) {
          const rate = await opsPerSecond(scenarios[name], ROUND_MS);
          rates[name].push(rate);
          if (name === 'getSourceCredentials (cached)') cachedCalls += Math.round((rate * ROUND_MS) / 1000);
        }
      }
      const med = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)])) as Record<
        Name,
        number
      >;
      const ratio = med['getSourceCredentials (cached)'] / med['getLinkedSources(config) round trip'];
      const roundTrips = emulator.requests.length;
      return {
        title: `Cached getSourceCredentials vs a getLinkedSources(config) round trip (sequential, ${ROUNDS} alternating rounds of ${ROUND_MS} ms, medians)`,
        rows: (Object.keys(rates) as Name[]).map((name) => ({
          scenario: name,
          'median ops/s': Math.round(med[name]),
          'min ops/s': Math.round(Math.min(...rates[name])),
          'max ops/s': Math.round(Math.max(...rates[name])),
          'µs/op (median)': round(1e6 / med[name], 2),
        })),
        ratios: { 'cached getSourceCredentials / getLinkedSources(config) round trip': round(ratio, 1) },
        notes: [
          `hotglue requests during the measured rounds: ${roundTrips}, all from the round-trip scenario (about ${cachedCalls} cached calls sent none).`,
          'the emulator runs in this process on loopback, so the round trip is a best case: a real hotglue call adds tens of milliseconds of network latency.',
          'secret mode (no tenant token needed); Nest logger levels fatal/error/warn.',
        ],
      };
    } finally {
      await moduleRef.close();
      await emulator.close();
    }
  },
};

export default suite;
