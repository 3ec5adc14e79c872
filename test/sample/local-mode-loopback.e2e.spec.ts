import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLocalRequest } from '../../src/sample/local-mode/loopback.js';
import { parseBanner, type SpawnedSample, spawnSample } from './spawn-sample.js';

const localDir = () => join(mkdtempSync(join(tmpdir(), 'hg-loopback-')), '.local');

/** A request with exactly these headers (fetch would not let a spec set `Host`). */
function post(url: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(new URL(path, url), { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local mode answers only this machine (DNS rebinding)', () => {
  let sample: SpawnedSample;
  let url: string;
  let port: string;

  beforeAll(async () => {
    sample = spawnSample(['--import', 'tsx', 'src/main.ts'], { PORT: '0', APP_LOCAL_DIR: localDir() });
    ({ url } = parseBanner(await sample.waitFor(/Try it:[\s\S]*curl[^\n]*\n/, 60_000)));
    port = new URL(url).port;
  }, 90_000);

  afterAll(() => sample?.stop());

  it.each([
    { from: 'curl (loopback Host, no Origin)', status: 200, headers: { host: '127.0.0.1:PORT' } },
    {
      from: 'localhost with the page origin',
      status: 200,
      headers: { host: 'localhost:PORT', origin: 'http://localhost:PORT' },
    },
    { from: 'a rebound DNS name', status: 421, headers: { host: 'attacker.example:PORT' } },
    {
      from: 'a rebound name with its own origin',
      status: 421,
      headers: { host: 'attacker.example:PORT', origin: 'http://attacker.example:PORT' },
    },
    {
      from: 'a loopback Host but a foreign Origin',
      status: 403,
      headers: { host: '127.0.0.1:PORT', origin: 'https://evil.example' },
    },
    {
      from: 'a loopback Origin on another port',
      status: 403,
      headers: { host: '127.0.0.1:PORT', origin: 'http://127.0.0.1:1' },
    },
    {
      from: 'the null origin of a sandboxed frame',
      status: 403,
      headers: { host: '127.0.0.1:PORT', origin: 'null' },
    },
    { from: 'a loopback name on another port', status: 421, headers: { host: '127.0.0.1:1' } },
  ])('POST /demo/session from $from answers $status', async ({ headers, status }) => {
    const filled = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', port)]));
    const response = await post(url, '/demo/session', filled);
    expect(response.status).toBe(status);
    if (status !== 200) expect(response.body).not.toContain('bearer');
    else expect(JSON.parse(response.body)).toHaveProperty('bearer');
  });

  it('refuses to start on a non-loopback HOST with one line naming HOST, exit 1', async () => {
    const refused = spawnSample(['--import', 'tsx', 'src/main.ts'], {
      PORT: '0',
      HOST: '0.0.0.0',
      APP_LOCAL_DIR: localDir(),
    });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/- HOST: local mode listens on loopback only/);
    expect(refused.output()).not.toContain('LOCAL MODE');
  }, 60_000);
});

describe('checkLocalRequest', () => {
  it('accepts IPv6 loopback and the default port only when the socket port matches', () => {
    expect(checkLocalRequest({ host: '[::1]:8080', origin: 'http://[::1]:8080' }, 8080)).toBe('ok');
    expect(checkLocalRequest({ host: 'localhost' }, 80)).toBe('ok');
    expect(checkLocalRequest({ host: 'localhost' }, 3000)).toBe('host');
    expect(checkLocalRequest({}, 3000)).toBe('host');
    expect(checkLocalRequest({ host: '127.0.0.1:3000', origin: 'not a url' }, 3000)).toBe('origin');
    expect(checkLocalRequest({ host: '127.0.0.1.evil.example:3000' }, 3000)).toBe('host');
  });
});
