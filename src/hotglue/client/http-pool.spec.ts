import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HotglueHttpPool } from './http-pool.js';

function optionsFor(apiUrl: string, magicLinkUrl = 'https://api.hotglue.com') {
  return {
    http: { connections: 2, keepAliveTimeoutMs: 1_000, attemptTimeoutMs: 2_000 },
    apiUrl,
    magicLinkUrl,
  } as never;
}

async function listen(answer: string) {
  const server = createServer((_request, response) => response.end(answer));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('HotglueHttpPool (undici imported at the first request)', () => {
  it('sends through an undici Pool to the apiUrl origin, then closes it', async () => {
    const server = createServer((_request, response) => response.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const pool = new HotglueHttpPool(optionsFor(`http://127.0.0.1:${port}/ignored/path`));
    const response = await pool.request({ method: 'GET', path: '/ping' });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('pong');
    await pool.close();
    expect(pool.closed).toBe(true);
    await expect(pool.request({ method: 'GET', path: '/ping' })).rejects.toMatchObject({
      code: expect.stringMatching(/^UND_ERR_(CLOSED|DESTROYED)$/),
    });
    server.close();
  });

  it('closed before any request: a late request fails as a closed undici pool fails it', async () => {
    const pool = new HotglueHttpPool(optionsFor('http://127.0.0.1:9'));
    await pool.close();
    await expect(pool.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
      code: expect.stringMatching(/^UND_ERR_(CLOSED|DESTROYED)$/),
    });
  });

  it('opens a second pool for the magicLinkUrl origin only, refuses any other origin, closes both', async () => {
    const api = await listen('api');
    const magic = await listen('magic');
    const pool = new HotglueHttpPool(optionsFor(api.url, `${magic.url}/prefix`));
    const fromApi = await pool.request({ method: 'GET', path: '/' });
    expect(await fromApi.body.text()).toBe('api');
    const fromMagic = await pool.request({ method: 'GET', path: '/', origin: magic.url });
    expect(await fromMagic.body.text()).toBe('magic');
    await expect(pool.request({ method: 'GET', path: '/', origin: 'http://127.0.0.1:9' })).rejects.toThrow(
      /only to apiUrl and magicLinkUrl/,
    );
    await pool.close();
    await expect(pool.request({ method: 'GET', path: '/', origin: magic.url })).rejects.toMatchObject({
      code: expect.stringMatching(/^UND_ERR_(CLOSED|DESTROYED)$/),
    });
    api.server.close();
    magic.server.close();
  });
});
