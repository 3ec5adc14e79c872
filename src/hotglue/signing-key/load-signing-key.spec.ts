import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectedFingerprint, pkcs1Pem } from '../../../test/support/keys.js';
import { expectNoLeak, pemSecretForms } from '../../../test/support/leaks.js';
import { generateTestSigningKey } from '../../hotglue-testing/signing-keys.js';
import { HotglueSigningKeyError, type HotglueSigningKeyProblem } from '../hotglue.errors.js';
import {
  loadSigningKey,
  SIGNING_KEY_FILE_SETTING,
  SIGNING_KEY_SETTING,
  type SigningKeyInput,
} from './load-signing-key.js';
import { MAX_SIGNING_KEY_LENGTH } from './signing-key-text.js';

// openSync and readSync stay the real ones unless a test makes them fail once (EACCES when running as root,
// see below); the spies also tell whether a file was opened or read at all.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, openSync: vi.fn(real.openSync), readSync: vi.fn(real.readSync) };
});

const key = generateTestSigningKey();
const secrets = pemSecretForms(key.privateKeyPem);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotglue-key-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.mocked(fs.openSync).mockClear();
  vi.mocked(fs.readSync).mockClear();
});

function writeKeyFile(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

function expectRefused(source: SigningKeyInput, problem: HotglueSigningKeyProblem, setting: string): string {
  let caught: unknown;
  try {
    loadSigningKey(source);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HotglueSigningKeyError);
  const error = caught as HotglueSigningKeyError;
  expect(error.problem).toBe(problem);
  expect(error.setting).toBe(setting);
  expect(error.message.startsWith(`${setting}: `)).toBe(true);
  expectNoLeak(error.message, secrets, 'error message');
  expectNoLeak(inspect(error), secrets, 'inspected error');
  return error.detail;
}

describe('loadSigningKey: inline', () => {
  it('parses signingKey and names HOTGLUE_SIGNING_KEY in its errors', () => {
    expect(loadSigningKey({ signingKey: key.privateKeyBase64 }).fingerprint).toBe(
      expectedFingerprint(key.publicKey),
    );
    expectRefused({ signingKey: 'not a key at all!' }, 'not-base64-or-pem', SIGNING_KEY_SETTING);
    expect(SIGNING_KEY_SETTING).toContain('HOTGLUE_SIGNING_KEY');
  });

  it('accepts a Buffer', () => {
    expect(loadSigningKey({ signingKey: Buffer.from(key.privateKeyPem) }).fingerprint).toBe(
      expectedFingerprint(key.publicKey),
    );
  });
});

describe('loadSigningKey: from a file (HOTGLUE_SIGNING_KEY_FILE)', () => {
  const forms: Array<[string, () => string | Buffer]> = [
    ['base64 with a trailing newline', () => `${key.privateKeyBase64}\n`],
    ['raw PKCS#8 PEM', () => key.privateKeyPem],
    ['raw PKCS#1 PEM', () => pkcs1Pem(key)],
    ['PEM with CRLF', () => key.privateKeyPem.replace(/\n/g, '\r\n')],
    ['PEM with literal \\n escapes', () => key.privateKeyPem.replace(/\n/g, '\\n')],
  ];

  it.each(forms)('reads a file holding the key as %s', (name, content) => {
    const path = writeKeyFile(`key-${name.replace(/\W+/g, '-')}`, content());
    const parsed = loadSigningKey({ signingKeyFile: path });
    expect(parsed.fingerprint).toBe(expectedFingerprint(key.publicKey));
    expect(parsed.publicKeyPem).toBe(key.publicKeyPem);
  });

  it('names HOTGLUE_SIGNING_KEY_FILE when the file holds a bad key', () => {
    const path = writeKeyFile('public.pem', key.publicKeyPem);
    expectRefused({ signingKeyFile: path }, 'public-key', SIGNING_KEY_FILE_SETTING);
    expect(SIGNING_KEY_FILE_SETTING).toContain('HOTGLUE_SIGNING_KEY_FILE');
  });

  it('refuses an empty file: empty', () => {
    expectRefused({ signingKeyFile: writeKeyFile('empty.pem', '') }, 'empty', SIGNING_KEY_FILE_SETTING);
    expectRefused({ signingKeyFile: writeKeyFile('blank.pem', '\n  \n') }, 'empty', SIGNING_KEY_FILE_SETTING);
  });

  it('refuses a missing file: file-unreadable, saying it does not exist', () => {
    const path = join(dir, 'no-such-file.pem');
    const detail = expectRefused({ signingKeyFile: path }, 'file-unreadable', SIGNING_KEY_FILE_SETTING);
    // The value of the setting is never echoed, not even a path (operators paste secrets there too).
    expect(detail).not.toContain(path);
    expect(detail).toContain('does not exist');
  });

  it('never echoes the key when the key itself was put into HOTGLUE_SIGNING_KEY_FILE', () => {
    const misplaced = [
      key.privateKeyBase64,
      key.privateKeyPem,
      key.privateKeyPem.replace(/\n/g, '\\n'),
      Buffer.from(pkcs1Pem(key)).toString('base64'),
      key.privateKeyBase64.slice(200, 300),
    ];
    for (const value of misplaced) {
      const detail = expectRefused({ signingKeyFile: value }, 'file-unreadable', SIGNING_KEY_FILE_SETTING);
      expect(detail).toContain('set HOTGLUE_SIGNING_KEY instead');
      expectNoLeak(detail, [value], 'error detail');
    }
  });

  it('refuses a file above MAX_SIGNING_KEY_LENGTH from its size, without opening it: too-large', () => {
    const path = writeKeyFile('huge.b64', Buffer.alloc(5 * 1024 * 1024, 'A'));
    const detail = expectRefused({ signingKeyFile: path }, 'too-large', SIGNING_KEY_FILE_SETTING);
    expect(detail).toContain(String(MAX_SIGNING_KEY_LENGTH));
    expect(detail).not.toContain(path);
    expect(fs.openSync).not.toHaveBeenCalled();
  });

  it('refuses a FIFO without opening it (an open would block until a writer came): file-unreadable', () => {
    const path = join(dir, 'a-fifo');
    execFileSync('mkfifo', [path]);
    const detail = expectRefused({ signingKeyFile: path }, 'file-unreadable', SIGNING_KEY_FILE_SETTING);
    expect(detail).toContain('not a regular file');
    expect(fs.openSync).not.toHaveBeenCalled();
  });

  it('refuses a directory: file-unreadable, saying it is a directory', () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    const detail = expectRefused({ signingKeyFile: path }, 'file-unreadable', SIGNING_KEY_FILE_SETTING);
    expect(detail).toContain('is a directory');
  });

  // chmod 000 does not stop root (CAP_DAC_OVERRIDE) from reading, and CI containers often run as root.
  // Probe it: when the mode does not block this process, this case cannot be produced for real and is
  // skipped; the next test covers the same branch by making openSync fail with EACCES.
  const probe = (() => {
    const probeDir = mkdtempSync(join(tmpdir(), 'hotglue-probe-'));
    try {
      const path = join(probeDir, 'probe');
      writeFileSync(path, 'x');
      chmodSync(path, 0o000);
      try {
        readFileSync(path);
        return true;
      } catch {
        return false;
      }
    } finally {
      rmSync(probeDir, { recursive: true, force: true });
    }
  })();

  it.skipIf(probe)(
    'refuses a file this process may not read (chmod 000): file-unreadable [skipped when running as root]',
    () => {
      const path = writeKeyFile('unreadable.pem', key.privateKeyBase64);
      chmodSync(path, 0o000);
      const detail = expectRefused({ signingKeyFile: path }, 'file-unreadable', SIGNING_KEY_FILE_SETTING);
      expect(detail).toContain('not readable');
    },
  );

  it('refuses a file the OS will not let it read (EACCES / EPERM): file-unreadable', () => {
    const path = writeKeyFile('guarded.pem', key.privateKeyBase64);
    for (const code of ['EACCES', 'EPERM']) {
      vi.mocked(fs.openSync).mockImplementationOnce(() => {
        throw Object.assign(new Error(`${code}: permission denied, open '${path}'`), { code });
      });
      const detail = expectRefused({ signingKeyFile: path }, 'file-unreadable', SIGNING_KEY_FILE_SETTING);
      expect(detail).toContain('is not readable by this process');
    }
  });

  it('refuses a file that fails to read for another reason, naming the error code', () => {
    const path = writeKeyFile('io-error.pem', key.privateKeyBase64);
    vi.mocked(fs.readSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    });
    const detail = expectRefused({ signingKeyFile: path }, 'file-unreadable', SIGNING_KEY_FILE_SETTING);
    expect(detail).toContain('could not be read (EIO)');
  });
});

describe('loadSigningKey: exactly one source', () => {
  it('refuses both the variable and the file: both-set, naming both, before reading anything', () => {
    const path = writeKeyFile('both.pem', key.privateKeyBase64);
    let caught: unknown;
    try {
      loadSigningKey({ signingKey: key.privateKeyBase64, signingKeyFile: path });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HotglueSigningKeyError);
    const error = caught as HotglueSigningKeyError;
    expect(error.problem).toBe('both-set');
    expect(error.message).toMatch(/HOTGLUE_SIGNING_KEY\b(?!_)/);
    expect(error.message).toContain('HOTGLUE_SIGNING_KEY_FILE');
    expectNoLeak(error.message, secrets);
    expect(fs.openSync).not.toHaveBeenCalled();
  });

  it('refuses neither being set: missing, naming both variables', () => {
    const detail = expectRefused({}, 'missing', SIGNING_KEY_SETTING);
    expect(detail).toContain('HOTGLUE_SIGNING_KEY');
    expect(detail).toContain('HOTGLUE_SIGNING_KEY_FILE');
  });
});
