/** What every `test/bench/*.bench.ts` file default-exports; `test/bench/index.ts` runs them in one process. */
export interface BenchSuite {
  /** Short id used by `npm run bench -- --only <name>` and as the key in the `--json` output. */
  readonly name: string;
  run(): Promise<BenchReport>;
}

/** What one suite measured in this run. Timings are reported, never asserted. */
export interface BenchReport {
  /** Heading of the human table. */
  readonly title: string;
  /** One row per scenario; the first column is the scenario name. */
  readonly rows: ReadonlyArray<Record<string, string | number>>;
  /** Measured ratios against each benchmark's baselines, e.g. `{ 'createToken/raw-sign': 0.93 }`. */
  readonly ratios: Readonly<Record<string, number>>;
  /** The targets in force (docs/benchmarks.md) with whether this run met them, e.g. `{ 'createToken >= 0.8x raw-sign': true }`. */
  readonly targets?: Readonly<Record<string, boolean>>;
  /** Anything a reader needs to interpret the figures (machine, sample sizes, caveats). */
  readonly notes?: readonly string[];
}
