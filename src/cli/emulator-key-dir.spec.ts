import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API_KEYS_FILE_NAME, KEY_FILE_NAME, openKeyDir } from './emulator-key-dir.js';

const root = mkdtempSync(join(tmpdir(), 'hg-key-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fresh = (name: string) => join(mkdtempSync(join(root, `${name}-`)), 'keys');
const API_KEYS = `${JSON.stringify({ publicApiKey: 'pk_emu_planted_1', secretApiKey: 'sk_emu_planted_2' })}\n`;

describe.runIf(process.platform !== 'win32')(
  'EMULATOR_KEY_DIR trusts only a directory and files of its own',
  () => {
    it('a fresh directory is created 0700 and filled; a second open reuses it', () => {
      const dir = fresh('ok');
      const first = openKeyDir(dir);
      expect(first.problems).toEqual([]);
      expect(first.keyDir?.created).toEqual([KEY_FILE_NAME, API_KEYS_FILE_NAME]);
      const again = openKeyDir(dir);
      expect(again.keyDir?.secretApiKey).toBe(first.keyDir?.secretApiKey);
    });

    it('refuses a directory others can write (even with 0600 files in it)', () => {
      const dir = fresh('writable');
      expect(openKeyDir(dir).problems).toEqual([]);
      chmodSync(dir, 0o777);
      const opened = openKeyDir(dir);
      expect(opened.keyDir).toBeUndefined();
      expect(opened.problems).toEqual([expect.stringContaining('is writable by others (mode 777)')]);
    });

    it('refuses a directory reached through a symbolic link', () => {
      const real = fresh('real');
      mkdirSync(real, { recursive: true, mode: 0o700 });
      const link = join(root, `link-${Date.now()}`);
      symlinkSync(real, link);
      expect(openKeyDir(link).problems).toEqual([expect.stringContaining('is a symbolic link')]);
    });

    it('refuses a key file that is a symbolic link, and never reads through it', () => {
      const dir = fresh('symlinked-file');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const elsewhere = join(root, `planted-${Date.now()}.json`);
      writeFileSync(elsewhere, API_KEYS, { mode: 0o600 });
      symlinkSync(elsewhere, join(dir, API_KEYS_FILE_NAME));
      const opened = openKeyDir(dir, false);
      expect(opened.keyDir).toBeUndefined();
      expect(opened.problems).toEqual([expect.stringContaining(`${API_KEYS_FILE_NAME} is a symbolic link`)]);
    });

    it.runIf(process.getuid?.() === 0)(
      'run as root: refuses files another user planted with mode 0600',
      () => {
        const dir = fresh('planted');
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        writeFileSync(join(dir, API_KEYS_FILE_NAME), API_KEYS, { mode: 0o600 });
        chownSync(join(dir, API_KEYS_FILE_NAME), 4242, 4242);
        const opened = openKeyDir(dir, false);
        expect(opened.keyDir).toBeUndefined();
        expect(opened.problems).toEqual([expect.stringContaining('belongs to another user (uid 4242)')]);
        // And a directory another user owns.
        const theirs = fresh('theirs');
        mkdirSync(theirs, { recursive: true, mode: 0o700 });
        chownSync(theirs, 4242, 4242);
        expect(openKeyDir(theirs).problems).toEqual([expect.stringContaining('belongs to another user')]);
      },
    );
  },
);
