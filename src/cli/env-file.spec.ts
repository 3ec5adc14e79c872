import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_ENV_FILE_BYTES, parseEnvText, readEnvFile } from './env-file.js';

/** The very `dotenv` that `@nestjs/config` resolves (its `ConfigModule.forRoot()` calls its `parse`). */
const nestDotenv = createRequire(createRequire(import.meta.url).resolve('@nestjs/config'))('dotenv') as {
  parse(text: string | Buffer): Record<string, string>;
};

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
      error: `--dotenv conf/prod.env: no such file (${join(cwd, 'conf/prod.env')}).`,
      missing: true,
    });
    expect(readEnvFile('a-dir.env', env, cwd)).toEqual({
      error: `--dotenv a-dir.env: cannot read ${join(cwd, 'a-dir.env')} (EISDIR).`,
      missing: false,
    });
    // A named file replaces .env: .env is not read as a fallback.
    expect(env).toEqual({});
  });
});

describe('readEnvFile reads .env like the key file: a bounded regular file', () => {
  it.runIf(process.platform !== 'win32')('a FIFO is refused at once, without waiting for a writer', () => {
    const cwd = mkdtempSync(join(dir, 'fifo-'));
    execFileSync('mkfifo', [join(cwd, '.env')]);
    const started = Date.now();
    const result = readEnvFile(undefined, {}, cwd);
    expect(result).toEqual({ error: expect.stringContaining('not a regular file'), missing: false });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it.runIf(process.platform !== 'win32')('a link to a device (/dev/zero) is refused, never read', () => {
    const cwd = mkdtempSync(join(dir, 'device-'));
    symlinkSync('/dev/zero', join(cwd, '.env'));
    expect(readEnvFile(undefined, {}, cwd)).toEqual({
      error: expect.stringContaining('not a regular file'),
      missing: false,
    });
  });

  it('a file above the cap is refused from its size; one at the cap is read', () => {
    const cwd = mkdtempSync(join(dir, 'large-'));
    writeFileSync(join(cwd, 'big.env'), '');
    truncateSync(join(cwd, 'big.env'), 120 * 1024 * 1024); // sparse: costs no disk
    expect(readEnvFile('big.env', {}, cwd)).toEqual({
      error: expect.stringContaining(`larger than ${MAX_ENV_FILE_BYTES} bytes`),
      missing: false,
    });
    const line = `A=${'x'.repeat(MAX_ENV_FILE_BYTES - 3)}\n`;
    writeFileSync(join(cwd, 'cap.env'), line);
    const env: NodeJS.ProcessEnv = {};
    expect(readEnvFile('cap.env', env, cwd)).toEqual({ path: join(cwd, 'cap.env') });
    expect(env.A).toHaveLength(MAX_ENV_FILE_BYTES - 3);
  });
});

/** Lines whose reading differs between parsers: each must read as @nestjs/config's dotenv reads it. */
const GRAMMAR_PROBES = [
  '\uFEFFBOM=first line after a byte-order mark\nB=2\n',
  'NAME: value\nCOLON:  spaced\n',
  '  export INDENTED=yes\nexport PLAIN=ok\n',
  '=starts with equals\nAFTER=read on\n',
  'A=1\n=x\nB=2\n',
  'Q="double # not a comment"\n',
  "S='single \\n kept'\n",
  'D="escaped \\n newline"\n',
  'M="multi\nline"\n',
  'B=`backtick`\n',
  'T=value # trailing comment\n',
  'U=value#no space\n',
  'W=  spaced out  \n',
  'E=\n',
  'DUP=first\nDUP=second\n',
  'CR=windows\r\nNEXT=line\r\n',
  'lower.dotted-name=x\n',
  'NO_EQUALS\nK=v\n',
  '# only a comment\n',
  'J={"a":1}\n',
  'SPACE BEFORE=x\n',
  'X="unterminated\nY=after\n',
  "Z='a'b'\n",
  'TAB=\tvalue\t\n',
  'HASH="#"\n',
  'export=word\n',
];

describe('the grammar is the one ConfigModule.forRoot() reads .env with', () => {
  it.each(GRAMMAR_PROBES.map((probe) => [JSON.stringify(probe), probe]))(
    'probe %s reads as @nestjs/config reads it',
    (_label, probe) => {
      expect(parseEnvText(probe)).toEqual(nestDotenv.parse(Buffer.from(probe)));
      // And through the file reader, from bytes on disk as ConfigModule reads them.
      const cwd = mkdtempSync(join(dir, 'grammar-'));
      writeFileSync(join(cwd, '.env'), probe);
      const env: NodeJS.ProcessEnv = {};
      readEnvFile(undefined, env, cwd);
      expect(env).toEqual(nestDotenv.parse(Buffer.from(probe)));
    },
  );
});
