import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type KeyFileChange, watchKeyFile } from './key-file-watcher.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(content: string) {
  const dir = mkdtempSync(join(tmpdir(), 'key-watch-'));
  dirs.push(dir);
  const path = join(dir, 'key');
  writeFileSync(path, content);
  const changes: KeyFileChange[] = [];
  // A long poll interval: the spec drives every read through `check()`.
  const watcher = watchKeyFile({
    path,
    intervalMs: 60_000,
    settleMs: 60_000,
    onChange: (c) => changes.push(c),
  });
  return { path, changes, watcher };
}

const contents = (changes: KeyFileChange[]) =>
  changes.map((change) => (change.kind === 'content' ? change.content.toString() : `error:${change.code}`));

describe('watchKeyFile', () => {
  it('reports a change only after two reads agree, once per distinct content', async () => {
    const { path, changes, watcher } = setup('one');
    try {
      await watcher.check();
      expect(changes).toEqual([]); // first sighting: waits for the content to settle
      await watcher.check();
      expect(contents(changes)).toEqual(['one']);
      await watcher.check();
      await watcher.check();
      expect(contents(changes)).toEqual(['one']); // unchanged: nothing more

      writeFileSync(path, 'half-writ');
      await watcher.check();
      writeFileSync(path, 'two'); // the writer finished before the confirming read
      await watcher.check();
      await watcher.check();
      expect(contents(changes)).toEqual(['one', 'two']); // the half-written content was never reported
    } finally {
      watcher.stop();
    }
  });

  it('reports a read error once, then the content when the file is back', async () => {
    const { path, changes, watcher } = setup('one');
    try {
      await watcher.check();
      await watcher.check();
      rmSync(path);
      for (let i = 0; i < 4; i++) await watcher.check();
      writeFileSync(path, 'one');
      await watcher.check();
      await watcher.check();
      expect(contents(changes)).toEqual(['one', 'error:ENOENT', 'one']);
    } finally {
      watcher.stop();
    }
  });

  it('skips the first report when the boot content is given and unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'key-watch-'));
    dirs.push(dir);
    const path = join(dir, 'key');
    writeFileSync(path, 'boot');
    const changes: KeyFileChange[] = [];
    const watcher = watchKeyFile({
      path,
      intervalMs: 60_000,
      initial: Buffer.from('boot'),
      onChange: (c) => changes.push(c),
    });
    await watcher.check();
    await watcher.check();
    watcher.stop();
    expect(changes).toEqual([]);
  });
});
