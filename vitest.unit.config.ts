import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:unit`: the fast loop. Every spec of `npm test` except those that start a browser, a Redis
 * server or a child process (the sample app, the CLIs, a second Node). Which specs those are is read from
 * the specs themselves, so a new one is sorted without editing this file: a spec that calls `spawn…(`
 * (`spawn`, `spawnSample`, `spawnNpmScript`) or `fork(`, uses `execFile`, a `TestRedis…` server or cluster,
 * or playwright, is left to `npm test`. One-shot tools run with `execFileSync` (git, mkfifo, openssl) stay in. `npm test` remains
 * the whole suite; CI runs that.
 */
const STARTS_A_PROCESS = /\b(?:spawn\w*|fork)\(|\bexecFile\b|\bTestRedis\w*|\bhasRedis\w*\(|playwright-core/;

function specsIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.spec.ts'))
    .map((file) => join(dir, file).replaceAll('\\', '/'));
}

const specs = [...specsIn('src'), ...specsIn('test')].map((file) => ({
  file,
  text: readFileSync(file, 'utf8'),
}));
const slow = specs.filter(({ text }) => STARTS_A_PROCESS.test(text)).map(({ file }) => file);
/**
 * Specs that need a module registry of their own: they mock modules (`vi.mock`), or set process state and
 * then import another spec file to run it again (`await import(`). The rest share one registry per worker
 * (`isolate: false`): importing Nest and the library once per worker instead of once per file is most of
 * what makes this loop fast.
 */
const NEEDS_ISOLATION = /\bvi\.mock\(|\bawait import\(/;
const fast = specs.filter(({ file }) => !slow.includes(file));
const isolated = fast.filter(({ text }) => NEEDS_ISOLATION.test(text)).map(({ file }) => file);
const shared = fast.filter(({ text }) => !NEEDS_ISOLATION.test(text)).map(({ file }) => file);

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: slow,
      // Many of these specs mostly wait (deadlines, idle sockets, retries on loopback): more workers than
      // cores keeps both cores busy. On 2 idle cores: 97 s with the default, 60 s with 4.
      maxWorkers: 4,
      projects: [
        { extends: true, test: { name: 'unit', exclude: [...slow, ...isolated], isolate: false } },
        // Project settings add to the base ones (`extends`), so each project excludes the other's specs.
        { extends: true, test: { name: 'unit-isolated', exclude: [...slow, ...shared], isolate: true } },
      ],
    },
  }),
);
