/** Small, dependency-free timing helpers shared by the bench suites. */

import { readFileSync } from 'node:fs';

/** Runs `op` back to back (awaiting each call) for about `ms` milliseconds; returns operations per second. */
export async function opsPerSecond(op: () => unknown, ms: number): Promise<number> {
  const deadline = performance.now() + ms;
  let count = 0;
  const started = performance.now();
  // Check the clock every 16 ops so the timer read does not dominate very fast operations.
  while (true) {
    for (let i = 0; i < 16; i++) await op();
    count += 16;
    if (performance.now() >= deadline) break;
  }
  return (count * 1000) / (performance.now() - started);
}

/** Same as `opsPerSecond` for a synchronous `op` (no await between calls). */
export function syncOpsPerSecond(op: () => unknown, ms: number): number {
  const deadline = performance.now() + ms;
  let count = 0;
  const started = performance.now();
  while (true) {
    for (let i = 0; i < 16; i++) op();
    count += 16;
    if (performance.now() >= deadline) break;
  }
  return (count * 1000) / (performance.now() - started);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rounds to `digits` significant-ish decimals for tables. */
export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * CPU seconds (user + system) the server process has used so far, from /proc (Linux; 0 elsewhere). Per
 * request, this is the server's own cost, which other processes on the machine do not inflate the way they
 * swing throughput.
 */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
