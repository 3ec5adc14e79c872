import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A sample started in a child process, with everything it printed. */
export interface SpawnedSample {
  readonly child: ChildProcess;
  /** stdout and stderr, interleaved as received. */
  output(): string;
  /** Resolves with the output once `pattern` appears; rejects if the process exits first or on timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Spawns `node <args>` from the repository root with exactly `env` (plus PATH and HOME): no variable of
 * the test runner leaks in, so `HOTGLUE_*` presence is what the spec says.
 */
export function spawnSample(args: string[], env: Record<string, string>): SpawnedSample {
  return spawnProcess(process.execPath, args, env);
}

/**
 * Runs `npm run <script>` exactly as a user types it (npm, then its shell, then the script's command),
 * in a process group of its own so that `stop()` ends the whole chain, not only npm.
 */
export function spawnNpmScript(script: string, env: Record<string, string>): SpawnedSample {
  return spawnProcess('npm', ['run', '--silent', script], env, true);
}

function spawnProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  ownGroup = false,
): SpawnedSample {
  return spawnProcessIn(REPO_ROOT, command, args, env, ownGroup);
}

/** Like `spawnSample`, for any command in any directory; `ownGroup`: stop() ends its whole process group. */
export function spawnProcessIn(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  ownGroup = false,
): SpawnedSample {
  const child = spawn(command, args, {
    cwd,
    detached: ownGroup,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) {
            cleanup();
            resolve(text);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        exited.then(() => {
          if (!pattern.test(text)) {
            cleanup();
            reject(new Error(`process exited before ${pattern}; output:\n${text}`));
          }
        });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** The app URL and demo bearer from the local-mode banner. */
export function parseBanner(output: string): { url: string; bearer: string } {
  const url = /Token endpoint\s+(http:\/\/[^\s/]+)\/hotglue\/token/.exec(output)?.[1];
  const bearer = /Demo bearer token[^\n]*\n\s+(\S+)/.exec(output)?.[1];
  if (!url || !bearer) throw new Error(`no banner in output:\n${output}`);
  return { url, bearer };
}
