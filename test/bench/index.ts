/**
 * `npm run bench [-- --json] [-- --only <suite>]`: runs every `*.bench.ts` suite beside this file in ONE
 * process, one after the other, and prints a table per suite (or one JSON object with `--json`).
 * Never part of `npm test`: timings are reported, not asserted.
 */
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchReport, BenchSuite } from './bench-suite.js';

const SUITE_ORDER = ['token', 'emulator', 'client', 'sample', 'webhooks'];

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;

async function loadSuites(): Promise<BenchSuite[]> {
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(dir).filter((file) => file.endsWith('.bench.ts'));
  const suites: BenchSuite[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { default: BenchSuite };
    suites.push(module.default);
  }
  const rank = (name: string) =>
    SUITE_ORDER.includes(name) ? SUITE_ORDER.indexOf(name) : SUITE_ORDER.length;
  return suites.filter((suite) => !only || suite.name === only).sort((a, b) => rank(a.name) - rank(b.name));
}

function printTable(report: BenchReport): void {
  const columns = [...new Set(report.rows.flatMap((row) => Object.keys(row)))];
  const cells = [columns, ...report.rows.map((row) => columns.map((column) => String(row[column] ?? '')))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => String(line[i]).length)));
  const line = (values: readonly string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n## ${report.title}\n`);
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of cells.slice(1)) console.log(line(row));
  if (Object.keys(report.ratios).length > 0) {
    console.log('\nratios:');
    for (const [name, value] of Object.entries(report.ratios)) console.log(`  ${name}: ${value.toFixed(2)}x`);
  }
  if (report.targets) {
    console.log('targets:');
    for (const [name, met] of Object.entries(report.targets))
      console.log(`  ${met ? 'met   ' : 'MISSED'} ${name}`);
  }
  for (const note of report.notes ?? []) console.log(`note: ${note}`);
}

const suites = await loadSuites();
if (suites.length === 0) throw new Error(`no bench suite named ${only ?? '(any)'}`);
const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' };
if (!asJson)
  console.log(`# nestjs-hotglue benchmarks (node ${machine.node}, ${machine.cpus} cores, ${machine.cpu})`);
const results: Record<string, BenchReport> = {};
for (const suite of suites) {
  if (!asJson) console.error(`running ${suite.name}...`);
  const report = await suite.run();
  results[suite.name] = report;
  if (!asJson) printTable(report);
}
if (asJson) console.log(JSON.stringify({ machine, suites: results }));
