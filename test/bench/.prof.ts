import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsoleLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Agent } from 'undici';
import { HotglueClient, HotglueModule } from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';

const mode = process.argv[2] ?? 'provider';
const TOKEN = 'bench-provider-token-0123456789abcdef';
const url = process.env.STUB!;
const key = generateTestSigningKey('p');
const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKeyPem] });
const stubOrigin = new URL(url).origin;
const b = Test.createTestingModule({
  imports: [
    HotglueModule.forRoot({
      envId: emulator.envId,
      signingKey: key.privateKeyBase64,
      publicApiKey: emulator.publicApiKey,
      secretApiKey: emulator.secretApiKey,
      apiUrl: emulator.url,
      flowId: emulator.defaultFlowId,
      providers: { stub: { baseUrl: url, origins: [stubOrigin] } },
      providerHttp: {
        connections: 16,
        keepAliveTimeoutMs: 30000,
        attemptTimeoutMs: 30000,
        maxResponseBytes: 10485760,
      },
    }),
  ],
});
b.setLogger(new ConsoleLogger({ logLevels: ['error'] }));
const m = await b.compile();
await m.init();
const client = m.get(HotglueClient);
emulator.linkSource(undefined, 't', {
  tap: 'stub',
  config: {
    access_token: TOKEN,
    refresh_token: 'r',
    expires_at: new Date(Date.now() + 86400000).toISOString(),
  },
});
const raw = new Agent({
  connections: 16,
  keepAliveTimeout: 30000,
  keepAliveMaxTimeout: 600000,
  headersTimeout: 30000,
  bodyTimeout: 30000,
  maxResponseSize: 10485760,
  pipelining: 1,
});
const ops: Record<string, () => Promise<unknown>> = {
  raw: async () => {
    const r = await raw.request({
      origin: stubOrigin,
      path: '/me',
      method: 'GET',
      headers: { accept: 'application/json', authorization: `Bearer ${TOKEN}` },
    });
    await r.body.json();
  },
  provider: async () => {
    const r = await client
      .provider('t', 'stub')
      .request({ path: '/me', headers: { accept: 'application/json' } });
    await r.json();
  },
};

async function run(ms: number) {
  const end = performance.now() + ms;
  let n = 0;
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < end) {
        await op();
        n++;
      }
    }),
  );
  const u = process.cpuUsage(cpu);
  return (u.user + u.system) / n;
}
{
  const t0 = performance.now();
  for (let i = 0; i < 200000; i++) client.provider('t', 'stub');
  console.log('provider() µs', ((performance.now() - t0) / 200).toFixed(3));
}
const pc = client.provider('t', 'stub');
ops.provider2 = async () => {
  const r = await pc.request({ path: '/me', headers: { accept: 'application/json' } });
  await r.json();
};
ops.rawab = async () => {
  const r = await raw.request({
    origin: stubOrigin,
    path: '/me',
    method: 'GET',
    headers: { accept: 'application/json', authorization: `Bearer ${TOKEN}` },
  });
  const b = await r.body.arrayBuffer();
  JSON.parse(Buffer.from(b).toString('utf8'));
};
if (process.env.SWAP) {
  ops.provider = ops[process.env.SWAP]!;
}
if (process.env.ONLY) {
  const op2 = ops[process.env.ONLY]!;
  const end = performance.now() + 8000;
  let n = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < end) {
        await op2();
        n++;
      }
    }),
  );
  console.log('OPS', n);
  process.exit(0);
}
let op = ops.raw!;
await run(2000);
op = ops.provider!;
await run(2000);
const res: Record<string, number[]> = { raw: [], provider: [] };
for (let i = 0; i < 6; i++)
  for (const k of i % 2 ? ['raw', 'provider'] : ['provider', 'raw']) {
    op = ops[k]!;
    res[k]!.push(await run(1500));
  }
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(
  process.env.TAG ?? '',
  'raw',
  med(res.raw!).toFixed(1),
  'provider',
  med(res.provider!).toFixed(1),
  'ratio',
  (med(res.raw!) / med(res.provider!)).toFixed(3),
);
process.exit(0);
