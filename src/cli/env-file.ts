import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** What `readEnvFile` did: the file whose variables were added (none when there is no `.env`), or why not. */
export type EnvFileResult =
  | { readonly path?: string }
  | { readonly error: string; readonly missing: boolean };

/**
 * `ConfigModule.forRoot()`'s default, without Nest: `.env` of the working directory when it exists (or the
 * `--env-file` one, which must exist), parsed with Node's own dotenv parser (`util.parseEnv`, the grammar of
 * the `dotenv` package @nestjs/config uses), and only variables not already in `env` are added to it, so the
 * environment wins. Nothing is expanded (ConfigModule's `expandVariables` is off by default). Errors name the
 * file and the reason, never a line of it.
 */
export function readEnvFile(
  named: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): EnvFileResult {
  const path = resolve(cwd, named ?? '.env');
  const label = named === undefined ? '.env' : `--env-file ${named}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && named === undefined) return {};
    if (code === 'ENOENT') return { error: `${label}: no such file (${path}).`, missing: true };
    return { error: `${label}: cannot read ${path} (${code ?? 'error'}).`, missing: false };
  }
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (!(key in env) && value !== undefined) env[key] = value;
  }
  return { path };
}
