/**
 * `hotglue-emulator --write-env <path>` (or `EMULATOR_WRITE_ENV=<path>`): the emulator keeps an app's dotenv
 * file in step with itself. At start it reads the file's HOTGLUE_* ids and keys (variables already set win),
 * so a restart serves the same env id, API keys and signing key, and the app's `.env` stays valid without
 * re-pasting. After it listens it writes its own HOTGLUE_* lines into the file: each existing line of those
 * variables is replaced in place, missing ones are appended, and every other line (comments, blank lines,
 * the app's own variables) is left byte for byte. A generated signing key goes in as `HOTGLUE_SIGNING_KEY`
 * itself, not as a path to a temporary file that would vanish on exit.
 *
 * The write is atomic (a temporary file beside it, then a rename), keeps the file's mode (a new file is
 * 0600: it holds a private key), and refuses a symbolic link rather than replacing the link with a file or
 * writing through it to wherever it points.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** The variables the emulator reads back from the file on a restart (the ones that must stay the same). */
export const KEPT_VARIABLES = [
  'HOTGLUE_ENV_ID',
  'HOTGLUE_PUBLIC_API_KEY',
  'HOTGLUE_SECRET_API_KEY',
  'HOTGLUE_SIGNING_KEY',
  'HOTGLUE_SIGNING_KEY_FILE',
] as const;

/** The file as read at start: its resolved path, its text ('' when new) and its parsed variables. */
export interface WriteEnvTarget {
  readonly path: string;
  readonly text: string;
  readonly values: Readonly<Record<string, string>>;
}

/** Reads the target file; problems are lines naming the option and the reason, never a line of the file. */
export function openWriteEnv(
  named: string,
  cwd = process.cwd(),
): { target?: WriteEnvTarget; problem?: string } {
  const path = resolve(cwd, named);
  let text = '';
  try {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink())
      return {
        problem: `--write-env ${named}: is a symbolic link; name the file it points to (refused so the link is not replaced).`,
      };
    if (!stats.isFile()) return { problem: `--write-env ${named}: is not a regular file.` };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      return { problem: `--write-env ${named}: cannot read ${path} (${code ?? 'error'}).` };
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseEnv(text))) if (value !== undefined) values[key] = value;
  return { target: { path, text, values } };
}

/**
 * The kept variables the file adds to `env` (those not already set). A `HOTGLUE_SIGNING_KEY_FILE` whose file
 * is gone (a temporary key of an earlier run) is dropped, so a new key is generated and written instead.
 */
export function keptFromFile(
  target: WriteEnvTarget,
  env: Record<string, string | undefined>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  const setInEnv = KEPT_VARIABLES.some(
    (name) => name.startsWith('HOTGLUE_SIGNING_KEY') && env[name] !== undefined && env[name] !== '',
  );
  for (const name of KEPT_VARIABLES) {
    const value = target.values[name];
    if (value === undefined || value === '' || env[name] !== undefined) continue;
    // A key set in the environment wins over both forms in the file (setting both is an error).
    if (name.startsWith('HOTGLUE_SIGNING_KEY') && setInEnv) continue;
    if (name === 'HOTGLUE_SIGNING_KEY_FILE' && !isFile(resolve(dirname(target.path), value))) continue;
    kept[name] = value;
  }
  return kept;
}

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;

/**
 * Writes `lines` (variable -> value) into the file and drops the lines of `remove`; other lines stay as they
 * are. Values are the emulator's own (URLs, ids, base64 and `pk_emu_`-style keys): no quoting needed.
 */
export function writeEnvLines(
  target: WriteEnvTarget,
  lines: Readonly<Record<string, string>>,
  remove: readonly string[] = [],
): void {
  const pending = new Map(Object.entries(lines));
  const out: string[] = [];
  const source = target.text === '' ? [] : target.text.replace(/\r?\n$/, '').split(/\r?\n/);
  for (const line of source) {
    const name = LINE.exec(line)?.[1];
    if (name !== undefined && remove.includes(name)) continue;
    if (name !== undefined && lines[name] !== undefined) {
      // The first line of a variable takes the new value; a later duplicate would override it, so it goes.
      if (pending.has(name)) out.push(`${name}=${pending.get(name)}`);
      pending.delete(name);
      continue;
    }
    out.push(line);
  }
  if (pending.size > 0) {
    out.push('# written by hotglue-emulator --write-env');
    for (const [name, value] of pending) out.push(`${name}=${value}`);
  }
  const eol = target.text.includes('\r\n') ? '\r\n' : '\n';
  let mode = 0o600;
  try {
    mode = statSync(target.path).mode & 0o7777;
  } catch {
    // A new file: owner-only, as it holds a private key.
  }
  const temporary = join(
    dirname(target.path),
    `.${basename(target.path)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, `${out.join(eol)}${eol}`, { mode, flag: 'wx' });
    chmodSync(temporary, mode); // the umask may have narrowed it
    // Checked again right before the rename: a link put there since the start is not replaced either.
    if (isSymbolicLink(target.path)) throw Object.assign(new Error('symbolic link'), { code: 'ELOOP' });
    renameSync(temporary, target.path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
