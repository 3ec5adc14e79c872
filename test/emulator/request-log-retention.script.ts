/**
 * Run by request-log-retention.spec.ts as `node --expose-gc --import tsx <this file>`: a real emulator gets
 * `ENTRIES` keyless requests whose URLs are ~12 KB each (a 6 KB path and a 6 KB query value, all distinct),
 * and the script prints, as one JSON line, how much heap stays retained after full GCs while the request log
 * still holds every entry.
 */
import { request } from 'undici';
import { HotglueEmulator } from '../../src/hotglue-testing/index.js';

const ENTRIES = 5_000;
const CONCURRENCY = 16;

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const emulator = await HotglueEmulator.start({ requestLogLimit: ENTRIES * 2 });
  const send = async (i: number) => {
    const tag = `${i}`.padStart(6, '0');
    const url = `${emulator.url}/${emulator.envId}/${tag}${'p'.repeat(6_000)}?big=${tag}${'v'.repeat(6_000)}`;
    const response = await request(url);
    await response.body.dump();
  };
  const settledHeap = async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return process.memoryUsage().heapUsed;
  };

  // Warm up (JIT, sockets, the emulator's own allocations), then start from an empty log.
  for (let i = 0; i < 100; i++) await send(ENTRIES + i);
  emulator.clearRequests();
  const before = await settledHeap();
  for (let next = 0; next < ENTRIES; ) {
    const batch = [];
    for (let j = 0; j < CONCURRENCY && next < ENTRIES; j++) batch.push(send(next++));
    await Promise.all(batch);
  }
  const after = await settledHeap();
  const entries = emulator.requests.length;
  const longest = Math.max(...emulator.requests.map((r) => r.path.length));
  console.log(JSON.stringify({ entries, longestPath: longest, retainedBytes: after - before }));
  await emulator.close();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
