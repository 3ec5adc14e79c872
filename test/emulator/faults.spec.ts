import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { call, pathOf } from './emulator-helpers.js';

/** Every fault kind as a plain undici client sees it. */
describe('HotglueEmulator fault injection', () => {
  let emulator: HotglueEmulator;
  let url: string;
  const headers = () => ({ 'x-api-key': emulator.secretApiKey });

  beforeAll(async () => {
    emulator = await HotglueEmulator.start({
      seed: { linkedSources: [{ tenantId: 'acme', source: { tap: 'csv' } }] },
    });
    url = `${emulator.url}${pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'linkedSources')}`;
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.clearFaults();
    emulator.clearRequests();
  });

  it('status 429 with Retry-After in seconds, hotglue error body by default', async () => {
    emulator.injectFault({ kind: 'status', status: 429, retryAfter: 7 });
    const res = await request(url, { headers: headers() });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(await res.body.json()).toEqual({ Code: 'TooManyRequestsError', Message: expect.any(String) });
    // Once only (times defaults to 1).
    const next = await request(url, { headers: headers() });
    expect(next.statusCode).toBe(200);
    await next.body.dump();
  });

  it('status 503 with Retry-After as an HTTP-date, and a custom body', async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    emulator.injectFault({ kind: 'status', status: 503, retryAfter: date, body: { message: 'down' } });
    const res = await request(url, { headers: headers() });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe(date);
    expect(await res.body.json()).toEqual({ message: 'down' });
  });

  it.each([500, 502, 504])('status %i without Retry-After', async (status) => {
    emulator.injectFault({ kind: 'status', status });
    const res = await request(url, { headers: headers() });
    expect(res.statusCode).toBe(status);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(await res.body.json()).toMatchObject({ Code: expect.any(String) });
  });

  it('matches by method, decoded path and times (500 -> 500 -> 200)', async () => {
    emulator.injectFault(
      { kind: 'status', status: 500 },
      { method: 'get', path: /\/linkedSources$/, times: 2 },
    );
    const other = await call(emulator, 'GET', pathOf(emulator.envId, 'flows', 'supported'));
    expect(other.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(url, { headers: headers() });
      statuses.push(res.statusCode);
      await res.body.dump();
    }
    expect(statuses).toEqual([500, 500, 200]);
    expect(emulator.requests.map((r) => r.fault)).toEqual([undefined, 'status', 'status', undefined]);
  });

  it('times: Infinity lasts until clearFaults(); a status fault does not run the handler', async () => {
    const jobs = pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'jobs');
    emulator.injectFault(
      { kind: 'status', status: 503 },
      { method: 'POST', times: Number.POSITIVE_INFINITY },
    );
    for (let i = 0; i < 3; i++) expect((await call(emulator, 'POST', jobs, {})).status).toBe(503);
    expect((await call(emulator, 'GET', jobs)).json).toEqual([]);
    emulator.clearFaults();
    expect((await call(emulator, 'POST', jobs, {})).status).toBe(200);
  });

  it('reset-before-headers: the request fails with a socket error', async () => {
    emulator.injectFault({ kind: 'reset-before-headers' });
    await expect(request(url, { headers: headers() })).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/),
    });
    expect(emulator.requests[0]).toMatchObject({ status: 0, fault: 'reset-before-headers' });
    const next = await request(url, { headers: headers() });
    expect(next.statusCode).toBe(200);
    await next.body.dump();
  });

  it('reset-mid-body: headers arrive, the body fails', async () => {
    emulator.injectFault({ kind: 'reset-mid-body' });
    const res = await request(url, { headers: headers() });
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toBeInstanceOf(Error);
  });

  it('stall-headers: a client headers timeout fires; a short stall then answers normally', async () => {
    emulator.injectFault({ kind: 'stall-headers', ms: 5_000 });
    await expect(request(url, { headers: headers(), headersTimeout: 100 })).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    emulator.injectFault({ kind: 'stall-headers', ms: 20 });
    const res = await request(url, { headers: headers() });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual([expect.objectContaining({ tap: 'csv' })]);
  });

  it('stall-body: headers arrive, a client body timeout fires', async () => {
    emulator.injectFault({ kind: 'stall-body', ms: 5_000 });
    const res = await request(url, { headers: headers(), bodyTimeout: 100 });
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('malformed-json: 200 application/json that does not parse', async () => {
    emulator.injectFault({ kind: 'malformed-json' });
    const res = await request(url, { headers: headers() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const text = await res.body.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('oversize: a valid JSON body of exactly the requested size', async () => {
    emulator.injectFault({ kind: 'oversize', bytes: 3_000_000 });
    const res = await request(url, { headers: headers() });
    expect(res.headers['content-length']).toBe('3000000');
    const text = await res.body.text();
    expect(text.length).toBe(3_000_000);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('redirect: status and Location, not followed by undici', async () => {
    emulator.injectFault({ kind: 'redirect', location: 'http://127.0.0.1:1/elsewhere', status: 307 });
    const res = await request(url, { headers: headers() });
    expect(res.statusCode).toBe(307);
    expect(res.headers.location).toBe('http://127.0.0.1:1/elsewhere');
    await res.body.dump();
    emulator.injectFault({ kind: 'redirect', location: '/x' });
    const defaulted = await request(url, { headers: headers() });
    expect(defaulted.statusCode).toBe(302);
    await defaulted.body.dump();
  });

  it('close() ends promptly with a stalled request pending', async () => {
    const local = await HotglueEmulator.start();
    local.injectFault({ kind: 'stall-headers', ms: 600_000 });
    const pending = request(`${local.url}/${local.envId}/flows/supported`, {
      headers: { 'x-api-key': local.secretApiKey },
    });
    while (local.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await local.close();
    await expect(pending).rejects.toBeInstanceOf(Error);
  });
});
