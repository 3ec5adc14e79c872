import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEnvFile } from './env-file.js';

const SECRET = 'sk_live_CANARY_env_file_4c1e';
const dir = mkdtempSync(join(tmpdir(), 'hg-env-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readEnvFile (the CLI reads .env as ConfigModule.forRoot() does)', () => {
  it('adds the variables of .env that are not set, keeps those that are, and says which file it read', () => {
    const cwd = mkdtempSync(join(dir, 'app-'));
    writeFileSync(
      join(cwd, '.env'),
      `# comment\nA=from-file\nexport B="two\nlines"\nC='kept # not a comment'\nSET=from-file\n`,
    );
    const env: NodeJS.ProcessEnv = { SET: 'from-env' };
    expect(readEnvFile(undefined, env, cwd)).toEqual({ path: join(cwd, '.env') });
    expect(env).toEqual({ A: 'from-file', B: 'two\nlines', C: 'kept # not a comment', SET: 'from-env' });
  });

  it('without .env: nothing read, nothing added, no error', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(readEnvFile(undefined, env, mkdtempSync(join(dir, 'empty-')))).toEqual({});
    expect(env).toEqual({});
  });

  it('a named file that is missing or unreadable: an error naming it, never its contents', () => {
    const cwd = mkdtempSync(join(dir, 'named-'));
    mkdirSync(join(cwd, 'a-dir.env'));
    writeFileSync(join(cwd, '.env'), `SECRET=${SECRET}\n`);
    const env: NodeJS.ProcessEnv = {};
    expect(readEnvFile('conf/prod.env', env, cwd)).toEqual({
      error: `--env-file conf/prod.env: no such file (${join(cwd, 'conf/prod.env')}).`,
      missing: true,
    });
    expect(readEnvFile('a-dir.env', env, cwd)).toEqual({
      error: `--env-file a-dir.env: cannot read ${join(cwd, 'a-dir.env')} (EISDIR).`,
      missing: false,
    });
    // A named file replaces .env: .env is not read as a fallback.
    expect(env).toEqual({});
  });
});
