import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureWidgetBundle, integrityOf, type PackRunner } from './fetch-widget.js';
import { readTgzEntry } from './tar.js';
import { WIDGET_FILE, WIDGET_TARBALL } from './widget-pin.js';

/** A real .tgz laid out like an npm tarball (`package/…`), built with the system's tar. */
function npmLikeTarball(script: string): Buffer {
  const root = mkdtempSync(join(tmpdir(), 'widget-tgz-'));
  mkdirSync(join(root, 'package', 'dist'), { recursive: true });
  writeFileSync(join(root, 'package', 'package.json'), '{"name":"@hotglue/widget"}');
  writeFileSync(join(root, 'package', 'dist', 'hotglue.js'), script);
  writeFileSync(join(root, 'package', 'dist', 'main.js'), 'module.exports = {};');
  execFileSync('tar', ['-czf', join(root, 'w.tgz'), '-C', root, 'package']);
  return readFileSync(join(root, 'w.tgz'));
}

/** A pack runner that writes `tarball` and counts its calls. */
function fakePack(tarball: Buffer): PackRunner & { calls: number } {
  const runner = Object.assign(
    async (_spec: string, dir: string) => {
      runner.calls += 1;
      const path = join(dir, 'hotglue-widget-1.4.63.tgz');
      writeFileSync(path, tarball);
      return path;
    },
    { calls: 0 },
  );
  return runner;
}

describe('readTgzEntry', () => {
  it('returns one file of a gzipped tar, undefined when absent, and throws on a truncated archive', () => {
    const tarball = npmLikeTarball('window.HotGlue = {};');
    expect(readTgzEntry(tarball, 'package/dist/hotglue.js')?.toString()).toBe('window.HotGlue = {};');
    expect(readTgzEntry(tarball, 'package/dist/missing.js')).toBeUndefined();
    expect(() => readTgzEntry(tarball.subarray(0, 40), 'package/dist/hotglue.js')).toThrow();
  });
});

describe('ensureWidgetBundle', () => {
  const script = `window.HotGlue = { version: '${Math.random()}' };`;
  const tarball = npmLikeTarball(script);
  const integrity = integrityOf(tarball);

  it('fetches once, keeps only the script, then reuses it without the registry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'widget-dir-'));
    const pack = fakePack(tarball);
    const first = await ensureWidgetBundle(dir, { pack, integrity });
    expect(first).toEqual({ available: true, path: join(dir, WIDGET_FILE), fetched: true });
    expect(readFileSync(join(dir, WIDGET_FILE), 'utf8')).toBe(script);
    expect(existsSync(join(dir, WIDGET_TARBALL))).toBe(false);
    const second = await ensureWidgetBundle(dir, { pack, integrity });
    expect(second).toMatchObject({ available: true, fetched: false });
    expect(pack.calls).toBe(1);
  });

  it('fetches again when the kept file was changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'widget-dir-'));
    const pack = fakePack(tarball);
    await ensureWidgetBundle(dir, { pack, integrity });
    writeFileSync(join(dir, WIDGET_FILE), 'alert(1)');
    expect(await ensureWidgetBundle(dir, { pack, integrity })).toMatchObject({
      available: true,
      fetched: true,
    });
    expect(readFileSync(join(dir, WIDGET_FILE), 'utf8')).toBe(script);
    expect(pack.calls).toBe(2);
  });

  it('refuses a tarball that does not match the pinned integrity and keeps nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'widget-dir-'));
    const result = await ensureWidgetBundle(dir, { pack: fakePack(npmLikeTarball('evil()')), integrity });
    expect(result).toMatchObject({ available: false, reason: expect.stringMatching(/integrity/) });
    expect(existsSync(join(dir, WIDGET_FILE))).toBe(false);
  });

  it('says how to get the file when the registry cannot be reached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'widget-dir-'));
    const offline: PackRunner = async () => {
      throw new Error('npm pack failed (1)');
    };
    const result = await ensureWidgetBundle(dir, { pack: offline, integrity });
    expect(result).toMatchObject({
      available: false,
      hint: expect.stringMatching(/npm pack @hotglue\/widget@1\.4\.63/),
    });
  });

  it('uses a tarball placed in the directory by hand, checked like a fetched one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'widget-dir-'));
    writeFileSync(join(dir, WIDGET_TARBALL), tarball);
    const pack = fakePack(tarball);
    expect(await ensureWidgetBundle(dir, { pack, integrity })).toMatchObject({ available: true });
    expect(pack.calls).toBe(0);
  });
});
