import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTgzEntry } from './tar.js';
import {
  WIDGET_ENTRY,
  WIDGET_FILE,
  WIDGET_INTEGRITY,
  WIDGET_MANUAL_HINT,
  WIDGET_PACKAGE,
  WIDGET_STAMP_FILE,
  WIDGET_TARBALL,
  WIDGET_VERSION,
} from './widget-pin.js';

/** Where the widget stands after `ensureWidgetBundle`. */
export type WidgetBundle =
  | { readonly available: true; readonly path: string; readonly fetched: boolean }
  | { readonly available: false; readonly reason: string; readonly hint: string };

/** Runs `npm pack` into `dir` and resolves with the tarball's path (injected in tests). */
export type PackRunner = (spec: string, dir: string) => Promise<string>;

/** Test seams of `ensureWidgetBundle`; production uses the defaults. */
export interface WidgetBundleOptions {
  /** Default: `npm pack` from the configured registry. */
  readonly pack?: PackRunner;
  /** Default: the pinned `WIDGET_INTEGRITY`. */
  readonly integrity?: string;
}

/** Longest a first-start fetch may take before local mode carries on without the widget. */
const PACK_TIMEOUT_MS = 120_000;

/** `sha512-…` of some bytes, in the registry's `dist.integrity` format. */
export function integrityOf(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `npm pack <spec>` from the configured registry (npm's own config: .npmrc, `npm_config_registry`). */
export const npmPack: PackRunner = (spec, dir) =>
  new Promise((resolve, reject) => {
    execFile(
      'npm',
      ['pack', spec, '--pack-destination', dir, '--silent', '--ignore-scripts'],
      { cwd: dir, timeout: PACK_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
      (error) => {
        if (error) {
          // Only the exit status: npm's output can hold registry URLs with credentials in them.
          reject(new Error(`npm pack failed (${error.code ?? 'error'})`));
          return;
        }
        const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
        if (tarball) resolve(join(dir, tarball));
        else reject(new Error('npm pack produced no tarball'));
      },
    );
  });

/** The kept file, when it is there and still the bytes the stamp recorded. */
function reuse(dir: string, expected: string): string | undefined {
  const path = join(dir, WIDGET_FILE);
  try {
    const stamp = JSON.parse(readFileSync(join(dir, WIDGET_STAMP_FILE), 'utf8')) as Record<string, unknown>;
    if (stamp.integrity !== expected) return undefined;
    return stamp.sha256 === sha256(readFileSync(path)) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** A tarball placed in `dir` by hand, else one fetched with `pack` into `work`. */
async function obtainTarball(dir: string, work: string, pack: PackRunner): Promise<Buffer> {
  try {
    return readFileSync(join(dir, WIDGET_TARBALL));
  } catch {
    return readFileSync(await pack(`${WIDGET_PACKAGE}@${WIDGET_VERSION}`, work));
  }
}

/**
 * Makes hotglue's widget (`dist/hotglue.js` of `@hotglue/widget@1.4.63`) available under `dir`: reused when
 * already there and unchanged, otherwise fetched once with `npm pack` into a temporary directory, checked
 * against the pinned integrity hash, and only that one file kept (written to a temporary name and renamed,
 * so two starts at once never serve half a file). A `hotglue-widget-1.4.63.tgz` placed in `dir` by hand is
 * used instead of the registry and checked the same way. Never throws: without a registry the answer says why and
 * how to get the file by hand.
 */
export async function ensureWidgetBundle(
  dir: string,
  options: WidgetBundleOptions = {},
): Promise<WidgetBundle> {
  const pack = options.pack ?? npmPack;
  const expected = options.integrity ?? WIDGET_INTEGRITY;
  const kept = reuse(dir, expected);
  if (kept) return { available: true, path: kept, fetched: false };
  const work = mkdtempSync(join(tmpdir(), 'hotglue-widget-'));
  try {
    const tarball = await obtainTarball(dir, work, pack);
    const integrity = integrityOf(tarball);
    if (integrity !== expected) {
      return {
        available: false,
        reason: `the ${WIDGET_PACKAGE}@${WIDGET_VERSION} tarball does not match the pinned integrity hash`,
        hint: WIDGET_MANUAL_HINT,
      };
    }
    const script = readTgzEntry(tarball, WIDGET_ENTRY);
    if (!script) {
      return {
        available: false,
        reason: `${WIDGET_ENTRY} is missing from the tarball`,
        hint: WIDGET_MANUAL_HINT,
      };
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, WIDGET_FILE);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, script, { mode: 0o644 });
    renameSync(temporary, path);
    const stamp = { package: WIDGET_PACKAGE, version: WIDGET_VERSION, integrity, sha256: sha256(script) };
    writeFileSync(
      `${join(dir, WIDGET_STAMP_FILE)}.${process.pid}.tmp`,
      `${JSON.stringify(stamp, null, 2)}\n`,
    );
    renameSync(`${join(dir, WIDGET_STAMP_FILE)}.${process.pid}.tmp`, join(dir, WIDGET_STAMP_FILE));
    return { available: true, path, fetched: true };
  } catch (error) {
    return {
      available: false,
      reason: `could not fetch ${WIDGET_PACKAGE}@${WIDGET_VERSION}: ${(error as Error).message}`,
      hint: WIDGET_MANUAL_HINT,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
