// One fresh process of the import-cost bench: loads @nestjs/core, @nestjs/common and @nestjs/config, then
// (with `--with-library`) the built package by its own name, and prints the two durations in ms as JSON.
import { performance } from 'node:perf_hooks';

const started = performance.now();
await import('@nestjs/core');
await import('@nestjs/common');
await import('@nestjs/config');
const nestLoaded = performance.now();
if (process.argv.includes('--with-library')) await import('nestjs-hotglue');
const done = performance.now();
console.log(JSON.stringify({ nest: nestLoaded - started, library: done - nestLoaded }));
