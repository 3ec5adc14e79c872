import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEY_FILE_NOT_REGULAR, KEY_FILE_TOO_LARGE } from './key-file-read.js';
import { type KeyFileChange, watchKeyFile } from './key-file-watcher.js';
import { MAX_SIGNING_KEY_LENGTH } from './signing-key-text.js';

// The real calls, counted: `open` is how the watcher reads a file, `readFile` how it used to.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, open: vi.fn(real.open), readFile: vi.fn(real.readFile) };
});
const reads = () => vi.mocked(fsp.open).mock.calls.length + vi.mocked(fsp.readFile).mock.calls.length;

const dirs: string[] = [];
const fifos: string[] = [];
afterEach(() => {
  // A reader stuck on a FIFO (the bug these specs guard against) is released by a writer that opens and
  // closes it; without one, it would hold a libuv thread until the worker exits.
  for (const fifo of fifos.splice(0)) {
    try {
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      writeSync(fd, 'x');
      closeSync(fd);
    } catch {
      // ENXIO: nobody is reading it, which is the point.
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.mocked(fsp.open).mockClear();
  vi.mocked(fsp.readFile).mockClear();
});

/** Settles within `ms` or rejects: a read that blocks must fail the spec, not hang it. */
function within<T>(promise: Promise<T>, ms = 2_000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still blocked after ${ms} ms`)), ms)),
  ]);
}

function setup(content: string, trustStatAfterMs?: number) {
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
    ...(trustStatAfterMs === undefined ? {} : { trustStatAfterMs }),
    onChange: (c) => changes.push(c),
  });
  return { dir, path, changes, watcher };
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

  it('does not re-read a file whose inode, size, mtime and ctime are unchanged; reads it again once they change', async () => {
    const { path, changes, watcher } = setup('key-one', 0);
    try {
      await watcher.check();
      await watcher.check();
      expect(contents(changes)).toEqual(['key-one']);
      const afterReport = reads();
      expect(afterReport).toBe(2); // the first sighting and the confirming read
      for (let i = 0; i < 10; i++) await watcher.check();
      expect(reads()).toBe(afterReport); // same stat: stat only, no read, no hash

      writeFileSync(path, 'key-two'); // same size and inode: only the times tell
      utimesSync(path, 1_000, 1_000); // a distinct mtime even on a filesystem with a coarse clock
      await watcher.check();
      await watcher.check();
      expect(contents(changes)).toEqual(['key-one', 'key-two']);
      expect(reads()).toBe(afterReport + 2);
    } finally {
      watcher.stop();
    }
  });

  it('still reads a file written moments ago on every poll (its stat may hide a same-tick rewrite)', async () => {
    const { changes, watcher } = setup('key-one');
    try {
      await watcher.check();
      await watcher.check();
      expect(contents(changes)).toEqual(['key-one']);
      const before = reads();
      await watcher.check();
      expect(reads()).toBe(before + 1);
    } finally {
      watcher.stop();
    }
  });

  it('refuses a FIFO without blocking, then picks up a good key written in its place', async () => {
    const { path, changes, watcher } = setup('key-one');
    try {
      await watcher.check();
      await watcher.check();
      rmSync(path);
      execFileSync('mkfifo', [path]);
      fifos.push(path);
      // Several polls: none may block, and none may join a blocked one.
      for (let i = 0; i < 4; i++) await within(watcher.check());
      expect(contents(changes)).toEqual(['key-one', `error:${KEY_FILE_NOT_REGULAR}`]);
      expect(reads()).toBe(2); // the FIFO was never opened

      rmSync(path);
      writeFileSync(path, 'key-two');
      await within(watcher.check());
      await within(watcher.check());
      expect(contents(changes)).toEqual(['key-one', `error:${KEY_FILE_NOT_REGULAR}`, 'key-two']);
    } finally {
      watcher.stop();
    }
  });

  it('refuses a file above MAX_SIGNING_KEY_LENGTH from its size, without reading it', async () => {
    const { path, changes, watcher } = setup('key-one');
    try {
      await watcher.check();
      await watcher.check();
      const before = reads();
      writeFileSync(path, Buffer.alloc(5 * 1024 * 1024, 'A'));
      for (let i = 0; i < 4; i++) await watcher.check();
      expect(contents(changes)).toEqual(['key-one', `error:${KEY_FILE_TOO_LARGE}`]);
      expect(reads()).toBe(before);

      writeFileSync(path, Buffer.alloc(MAX_SIGNING_KEY_LENGTH, 'B')); // at the cap: read as usual
      await watcher.check();
      await watcher.check();
      expect(changes).toHaveLength(3);
      expect(changes[2]).toMatchObject({ kind: 'content' });
    } finally {
      watcher.stop();
    }
  });
});
