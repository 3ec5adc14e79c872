import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';

/** `npm run emulator` (src/hotglue-testing/cli.ts) as a user runs it. */
describe('emulator CLI', () => {
  it('prints URL, env id, keys and key origin; serves; removes its generated key file on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/hotglue-testing/cli.ts'], {
      env: { ...process.env, EMULATOR_PORT: '0', HOTGLUE_SIGNING_KEY: '', HOTGLUE_SIGNING_KEY_FILE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      while (!out.includes('Ctrl+C')) {
        if (child.exitCode !== null) throw new Error('cli exited early');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const value = (name: string) => new RegExp(`${name}=(\\S+)`).exec(out)?.[1] ?? '';
      expect(value('HOTGLUE_API_URL')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const keyFile = value('HOTGLUE_SIGNING_KEY_FILE').replace(/\)$/, '');
      expect(existsSync(keyFile)).toBe(true);
      const res = await request(`${value('HOTGLUE_API_URL')}/${value('HOTGLUE_ENV_ID')}/flows/supported`, {
        headers: { 'x-api-key': value('HOTGLUE_SECRET_API_KEY') },
      });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(existsSync(keyFile)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
