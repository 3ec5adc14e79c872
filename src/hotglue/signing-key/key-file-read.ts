import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { MAX_SIGNING_KEY_LENGTH } from './signing-key-text.js';

/**
 * Reading a key file without letting the file decide how long the read blocks or how much it costs.
 *
 * - The path is `stat`ed first (which follows a symlink, as Kubernetes' `..data` swap needs, and never opens
 *   the file): anything but a regular file (a FIFO, a socket, a device, a directory) is refused, and so is a
 *   regular file above `MAX_SIGNING_KEY_LENGTH`, from its size, without reading it.
 * - The file is then opened with `O_NONBLOCK` and checked again on the descriptor (`fstat`): the path may
 *   have been swapped for a FIFO between the two calls, and opening a FIFO without `O_NONBLOCK` blocks until
 *   a writer shows up (forever, holding one of libuv's four threads; at boot, the whole process).
 * - At most `MAX_SIGNING_KEY_LENGTH + 1` bytes are read, so a file that grew meanwhile is still bounded.
 */

/** Failure codes of our own, beside the OS's (`ENOENT`, `EACCES`, `EISDIR`, ...). */
export const KEY_FILE_NOT_REGULAR = 'not-a-regular-file';
export const KEY_FILE_TOO_LARGE = 'too-large';

/** Thrown by the readers below with the code that `keyFileReadError` turns into a message. */
export class KeyFileReadFailure extends Error {
  constructor(readonly code: string) {
    super(`key file refused (${code})`);
  }
}

/** What identifies one version of a file without reading it: any write or swap changes one of these. */
export function statSignature(stats: Stats): string {
  // ctime too: a writer can restore mtime (`touch -r`, `cp -p`), but not ctime.
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/** `undefined` when `stats` is a regular file small enough to be a key; otherwise why not. */
function refusal(stats: Stats): string | undefined {
  if (stats.isDirectory()) return 'EISDIR';
  if (!stats.isFile()) return KEY_FILE_NOT_REGULAR;
  if (stats.size > MAX_SIGNING_KEY_LENGTH) return KEY_FILE_TOO_LARGE;
  return undefined;
}

/**
 * `node:fs/promises`, loaded by the first asynchronous read (the key-file watcher's): loading it makes Node
 * load about ten internal modules (readline's among them), which a boot whose key comes inline, or is read
 * synchronously, never needs.
 */
let fsPromises: Promise<typeof import('node:fs/promises')> | undefined;
const loadFsPromises = () => (fsPromises ??= import('node:fs/promises'));

/** `O_NONBLOCK` is POSIX; Windows has no FIFOs to block on, and no such flag. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const READ_LIMIT = MAX_SIGNING_KEY_LENGTH + 1;

/** Boot's reader (synchronous, as boot is). Throws `KeyFileReadFailure` or the OS error. */
export function readKeyFileSync(path: string): Buffer {
  const early = refusal(statSync(path));
  if (early) throw new KeyFileReadFailure(early);
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const late = refusal(fstatSync(fd));
    if (late) throw new KeyFileReadFailure(late);
    const buffer = Buffer.alloc(READ_LIMIT);
    let length = 0;
    for (let n = -1; n !== 0 && length < READ_LIMIT; length += n) {
      n = readSync(fd, buffer, length, READ_LIMIT - length, null);
    }
    if (length > MAX_SIGNING_KEY_LENGTH) throw new KeyFileReadFailure(KEY_FILE_TOO_LARGE);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** The watcher's view of the path now: its stat signature, or why it cannot hold a key. */
export async function statKeyFile(path: string): Promise<{ signature: string } | { code: string }> {
  const { stat } = await loadFsPromises();
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    return { code: (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN' };
  }
  const code = refusal(stats);
  return code ? { code } : { signature: statSignature(stats) };
}

/**
 * The watcher's reader: the content, the signature of the version read (from the descriptor, so it is the
 * file whose bytes these are) and when that version was last written. Throws `KeyFileReadFailure` or the OS error.
 */
export async function readKeyFile(
  path: string,
): Promise<{ content: Buffer; signature: string; changedAtMs: number }> {
  const { open } = await loadFsPromises();
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, OPEN_FLAGS);
    const stats = await handle.stat();
    const code = refusal(stats);
    if (code) throw new KeyFileReadFailure(code);
    const buffer = Buffer.alloc(READ_LIMIT);
    let length = 0;
    for (let n = -1; n !== 0 && length < READ_LIMIT; length += n) {
      ({ bytesRead: n } = await handle.read(buffer, length, READ_LIMIT - length, null));
    }
    if (length > MAX_SIGNING_KEY_LENGTH) throw new KeyFileReadFailure(KEY_FILE_TOO_LARGE);
    return {
      content: buffer.subarray(0, length),
      signature: statSignature(stats),
      changedAtMs: Math.max(stats.mtimeMs, stats.ctimeMs),
    };
  } finally {
    await handle?.close();
  }
}
