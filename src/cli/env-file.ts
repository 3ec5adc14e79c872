import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';

/** What `readEnvFile` did: the file whose variables were added (none when there is no `.env`), or why not. */
export type EnvFileResult =
  | { readonly path?: string }
  | { readonly error: string; readonly missing: boolean };

/**
 * The largest `.env` the CLI reads: far above any real settings file (a base64 signing key is ~2.3 KB), far
 * below what would cost memory. A larger file is refused from its size, without reading it.
 */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

/** `O_NONBLOCK` is POSIX: opening a FIFO then returns at once instead of waiting for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** `undefined` when `stats` is a regular file small enough to be settings; otherwise why not. */
function refusal(stats: Stats): string | undefined {
  if (stats.isDirectory()) return 'EISDIR';
  if (!stats.isFile()) return 'not a regular file';
  if (stats.size > MAX_ENV_FILE_BYTES) return `larger than ${MAX_ENV_FILE_BYTES} bytes`;
  return undefined;
}

/**
 * Reads `path` as the signing key file is read: `stat` first (a FIFO, a socket, a device such as a link to
 * `/dev/zero`, or an oversized file is refused without opening it), then opened with `O_NONBLOCK` and checked
 * again on the descriptor (the path may have been swapped meanwhile), then at most `MAX_ENV_FILE_BYTES + 1`
 * bytes read (a file that grew meanwhile is still bounded). A symlink is followed, as for the key file, but
 * only to a regular file. Throws the OS error or an `Error` whose `code` is the reason.
 */
function readBounded(path: string): string {
  const fail = (reason: string) => Object.assign(new Error(reason), { code: reason });
  const early = refusal(statSync(path));
  if (early) throw fail(early);
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const late = refusal(fstatSync(fd));
    if (late) throw fail(late);
    const limit = MAX_ENV_FILE_BYTES + 1;
    const buffer = Buffer.alloc(limit);
    let length = 0;
    for (let n = -1; n !== 0 && length < limit; length += n) {
      n = readSync(fd, buffer, length, limit - length, null);
    }
    if (length > MAX_ENV_FILE_BYTES) throw fail(`larger than ${MAX_ENV_FILE_BYTES} bytes`);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * `ConfigModule.forRoot()`'s default, without Nest: `.env` of the working directory when it exists (or the
 * `--dotenv` one, which must exist), parsed by `dotenv`'s own `parse`, the parser `@nestjs/config` calls, so
 * the CLI and the app read one file the same way (a BOM, `NAME: value`, an indented `export`, a line
 * starting with `=`). Only variables not already in `env` are added, so the environment wins. Nothing is
 * expanded (ConfigModule's `expandVariables` is off by default). Errors name the file and the reason, never
 * a line of it.
 */
export function readEnvFile(
  named: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): EnvFileResult {
  const path = resolve(cwd, named ?? '.env');
  const label = named === undefined ? '.env' : `--dotenv ${named}`;
  let text: string;
  try {
    text = readBounded(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && named === undefined) return {};
    if (code === 'ENOENT') return { error: `${label}: no such file (${path}).`, missing: true };
    return { error: `${label}: cannot read ${path} (${code ?? 'error'}).`, missing: false };
  }
  for (const [key, value] of Object.entries(parseEnvText(text))) {
    if (!(key in env)) env[key] = value;
  }
  return { path };
}

/** The dotenv grammar `@nestjs/config` reads `.env` with (its `parse`, without touching `process.env`). */
export function parseEnvText(text: string): Record<string, string> {
  return parse(text);
}
