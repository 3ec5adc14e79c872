import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * The request log holds no more than it shows. The log caps each entry (path 1,024 characters, values 256), but
 * a capped `slice()` of the request's URL kept the whole URL alive in V8: 5,000 entries of 12 KB URLs retained
 * ~75 MB after a full GC. Measured in a child process started with --expose-gc, so `gc()` really collects
 * before each reading.
 */
describe('emulator request log: retained heap', () => {
  it('5,000 entries for 12 KB URLs retain far less than the URLs (< 20 MB after gc)', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/emulator/request-log-retention.script.ts'],
      { timeout: 120_000, maxBuffer: 1024 * 1024 },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      entries: number;
      longestPath: number;
      retainedBytes: number;
    };
    // Every entry is still held (so the measurement is of live entries), each path capped.
    expect(result.entries).toBe(5_000);
    expect(result.longestPath).toBeLessThanOrEqual(1_025);
    // The URLs alone are 5,000 x 12 KB = 60 MB; the capped copies are ~1.3 KB an entry (~7 MB in all).
    expect(result.retainedBytes).toBeLessThan(20 * 1024 * 1024);
  }, 150_000);
});
