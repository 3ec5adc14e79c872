import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { dirname } from 'node:path';
import { KeyFileReadFailure, readKeyFile, statKeyFile } from './key-file-read.js';

/**
 * What `watchKeyFile` reports: the file's new content, or why it cannot be read: an OS code (`ENOENT`,
 * `EACCES`, `EISDIR`, ...), `KEY_FILE_NOT_REGULAR` (a FIFO, socket or device) or `KEY_FILE_TOO_LARGE`.
 */
export type KeyFileChange =
  | { readonly kind: 'content'; readonly content: Buffer }
  | { readonly kind: 'error'; readonly code: string };

/** Options of `watchKeyFile`. */
export interface KeyFileWatchOptions {
  /** The file to watch (a symlink is followed on every read, as Kubernetes' `..data` swap needs). */
  readonly path: string;
  /** Poll interval, ms: the longest a change goes unnoticed when directory events are missed. */
  readonly intervalMs: number;
  /**
   * A change is reported only after two reads this far apart agree, ms. A writer that rewrites the file in
   * place is seen half-way through; waiting for the content to settle keeps that from logging a bogus error.
   */
  readonly settleMs?: number;
  /**
   * How old a version's mtime and ctime must be, ms, before an unchanged stat is trusted to mean unchanged
   * content and the read is skipped (default 2000, see `RACY_MS`). Until then every poll reads the file.
   */
  readonly trustStatAfterMs?: number;
  /** The content at boot, so the first poll reports nothing when the file did not change. */
  readonly initial?: Buffer;
  /** Called once per settled change: new content, or a new read error. Its exceptions are swallowed. */
  readonly onChange: (change: KeyFileChange) => void;
}

/** A running watcher. */
export interface KeyFileWatcher {
  /** Reads the file now (what the timer and directory events do); resolves once the read is handled. */
  check(): Promise<void>;
  /** Stops the timer and the directory watch. Idempotent. */
  stop(): void;
}

const DEFAULT_SETTLE_MS = 100;
/**
 * A file whose mtime or ctime is this close to the moment it was read may have been rewritten within the
 * same timestamp tick right after the read (same size, same times: "racy" in git's words). Its stat is not
 * trusted to mean "unchanged" until it is older than this; 2 s covers the coarsest filesystem clocks (FAT).
 */
const RACY_MS = 2_000;

/**
 * Watches a key file by polling (unref'd timer, so it never keeps a process alive) and, where the platform
 * supports it, by watching its directory for an earlier hint. Polling is the guarantee: a directory watch
 * misses changes on some filesystems (NFS, some container mounts), and Kubernetes replaces a mounted secret
 * by swapping a `..data` symlink in the directory, which a watch on the file itself never sees.
 *
 * Each poll `stat`s the path first and reads the file only when its inode, size, mtime or ctime changed
 * since the last read (a Kubernetes swap points the path at a new inode); a change is then confirmed by
 * content (SHA-256), so a rewrite with the same bytes reports nothing. Anything that is not a regular file,
 * or is larger than `MAX_SIGNING_KEY_LENGTH`, is reported as an error without being opened or read, and the
 * read itself never blocks (see `key-file-read.ts`).
 */
export function watchKeyFile(options: KeyFileWatchOptions): KeyFileWatcher {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const racyMs = options.trustStatAfterMs ?? RACY_MS;
  let reported = options.initial ? fingerprintOf(options.initial) : undefined;
  let candidate: string | undefined;
  let running: Promise<void> | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** The stat signature of the last version read, while it is safe to trust (see `trustStatAfterMs`). */
  let lastRead: string | undefined;

  const readOnce = async (): Promise<void> => {
    let change: KeyFileChange;
    let id: string;
    const seen = await statKeyFile(options.path);
    if ('code' in seen) {
      lastRead = undefined;
      change = { kind: 'error', code: seen.code };
      id = `error:${seen.code}`;
    } else if (candidate === undefined && seen.signature === lastRead) {
      // Same inode, size and times as the content last read (and already handled): nothing to read.
      return;
    } else {
      const startedAt = Date.now();
      try {
        const { content, signature, changedAtMs } = await readKeyFile(options.path);
        lastRead = startedAt - changedAtMs < racyMs ? undefined : signature;
        change = { kind: 'content', content };
        id = fingerprintOf(content);
      } catch (error) {
        lastRead = undefined;
        const code =
          error instanceof KeyFileReadFailure
            ? error.code
            : ((error as NodeJS.ErrnoException).code ?? 'EUNKNOWN');
        change = { kind: 'error', code };
        id = `error:${code}`;
      }
    }
    if (stopped || id === reported) {
      candidate = undefined;
      return;
    }
    if (id !== candidate) {
      // First sighting: confirm with a second read once the writer is likely done.
      candidate = id;
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => void check(), settleMs);
      settleTimer.unref();
      return;
    }
    candidate = undefined;
    reported = id;
    try {
      options.onChange(change);
    } catch {
      // A listener's bug must not stop the watcher.
    }
  };

  const check = (): Promise<void> => {
    // One read at a time; a check asked for during a read joins it.
    running ??= readOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  let dirWatch: FSWatcher | undefined;
  try {
    dirWatch = watch(dirname(options.path), { persistent: false }, () => void check());
    dirWatch.on('error', () => dirWatch?.close());
  } catch {
    // No directory events here (or the directory is gone): polling alone still notices every change.
  }

  return {
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(settleTimer);
      dirWatch?.close();
    },
  };
}

function fingerprintOf(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
