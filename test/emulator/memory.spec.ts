import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { LOG_ENTRY_LIMITS } from '../../src/hotglue-testing/request-log.js';

const started: HotglueEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

async function start(options: Parameters<typeof HotglueEmulator.start>[0] = {}) {
  const emulator = await HotglueEmulator.start(options);
  started.push(emulator);
  return emulator;
}

/** Starts a POST that announces `declared` bytes and sends only `sent` of them (then waits). */
function partialPost(url: string, headers: Record<string, string>, declared: number, sent: Buffer) {
  const req = httpRequest(url, {
    method: 'POST',
    headers: { ...headers, 'content-length': String(declared) },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  req.write(sent);
  return { req, response };
}

async function bodyOf(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) text += String(chunk);
  return text;
}

describe('emulator memory: bodies are read only for requests it could serve', () => {
  it('answers a keyless upload 401 from its headers, before the body has arrived', async () => {
    const emulator = await start();
    const url = `${emulator.url}/${emulator.envId}/${emulator.defaultFlowId}/acme/taps/file`;
    const upload = partialPost(
      url,
      { 'content-type': 'application/octet-stream' },
      10_000_000,
      Buffer.alloc(65_536),
    );
    const response = await upload.response; // before the fix: never, the emulator waited for 10 MB
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(await bodyOf(response))).toMatchObject({ Code: 'UnauthorizedError' });
    upload.req.destroy();
  });

  it('answers a route that does not exist 404 from its headers', async () => {
    const emulator = await start();
    const upload = partialPost(
      `${emulator.url}/${emulator.envId}/no/such/route/here`,
      { 'x-api-key': emulator.secretApiKey, 'content-type': 'application/json' },
      5_000_000,
      Buffer.alloc(65_536, 0x20),
    );
    expect((await upload.response).statusCode).toBe(404);
    upload.req.destroy();
  });

  it('refuses a body declared larger than 10 MB with 413 before reading it', async () => {
    const emulator = await start();
    const upload = partialPost(
      `${emulator.url}/${emulator.envId}/${emulator.defaultFlowId}/acme/linkedSources`,
      { 'x-api-key': emulator.secretApiKey, 'content-type': 'application/json' },
      50_000_000,
      Buffer.alloc(65_536, 0x20),
    );
    expect((await upload.response).statusCode).toBe(413);
    upload.req.destroy();
  });

  it('caps the bytes of all bodies in flight: one past the cap is 503, the first still succeeds', async () => {
    const emulator = await start({ maxInFlightBodyBytes: 1_000_000 });
    const url = `${emulator.url}/${emulator.envId}/${emulator.defaultFlowId}/acme/linkedSources`;
    const headers = { 'x-api-key': emulator.secretApiKey, 'content-type': 'application/json' };
    const body = (tap: string) =>
      Buffer.from(JSON.stringify({ source: { tap, config: { pad: 'p'.repeat(700_000) } } }));
    const first = body('held');
    const held: { req: ClientRequest; response: Promise<IncomingMessage> } = partialPost(
      url,
      headers,
      first.length,
      first.subarray(0, 650_000),
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // the first body is in flight now
    const second = body('second');
    const refused = partialPost(url, headers, second.length, second);
    refused.req.end();
    const refusal = await refused.response;
    expect(refusal.statusCode).toBe(503);
    expect(await bodyOf(refusal)).toContain('Too many request bodies in flight');
    held.req.end(first.subarray(650_000));
    expect((await held.response).statusCode).toBe(200);
    // Once answered, the budget is free again.
    const again = partialPost(url, headers, second.length, second);
    again.req.end();
    expect((await again.response).statusCode).toBe(200);
  });

  it('keeps at most a bounded path and query per request log entry', async () => {
    const emulator = await start();
    // Within Node's 16 KiB header limit: a 3,000-character path, a 2,000-character value, 50 more parameters.
    const longPath = `/${emulator.envId}/${'x'.repeat(3_000)}`;
    const many = Array.from({ length: 50 }, (_, i) => `p${i}=${'v'.repeat(60)}`);
    const query = [`big=${'b'.repeat(2_000)}`, ...many].join('&');
    const response = await fetch(`${emulator.url}${longPath}?${query}`);
    expect(response.status).toBe(401);
    const entry = emulator.requests.at(-1)!;
    expect(entry.path.length).toBeLessThanOrEqual(LOG_ENTRY_LIMITS.path + 1);
    expect(Object.keys(entry.query)).toHaveLength(LOG_ENTRY_LIMITS.params);
    for (const value of Object.values(entry.query)) {
      expect(value.length).toBeLessThanOrEqual(LOG_ENTRY_LIMITS.value + 1);
    }
  });
});
