import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  HotglueAbortError,
  HotglueApiError,
  type HotglueHttpOptions,
  HotglueNetworkError,
  HotglueResponseInvalidError,
  HotglueRetryAfterTooLongError,
  HotglueTimeoutError,
} from '../../src/hotglue/index.js';
import { HotglueResponseTooLargeError } from '../support/library-internals.js';
import { createClient } from './client-harness.js';
import { json, type ScriptedHandler, type ScriptedServer, startScriptedServer } from './scripted-server.js';

const SOURCES = [{ tap: 'salesforce', label: 'Salesforce' }];
const FAST: HotglueHttpOptions = {
  backoffBaseMs: 5,
  backoffMaxMs: 20,
  attemptTimeoutMs: 2000,
  timeoutMs: 5000,
};

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function setup(handler: ScriptedHandler, http: HotglueHttpOptions = {}, extra = {}) {
  const server = await startScriptedServer(handler);
  const harness = await createClient(server.url, { http: { ...FAST, ...http }, ...extra });
  cleanup.push(server.close, harness.close);
  return { server, ...harness };
}

const caught = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
};

function stallBody(res: Parameters<ScriptedHandler>[1]): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
  res.write('[{"tap":');
}

describe('HotglueClient transport: retries', () => {
  it('a scripted 500 -> 500 -> 200 succeeds in exactly 3 attempts', async () => {
    const { server, client } = await setup((_req, res, i) =>
      i < 2 ? json(res, 500, { Code: 'ChaliceViewError', Message: 'boom' }) : json(res, 200, SOURCES),
    );
    await expect(client.getLinkedSources('acme')).resolves.toEqual(SOURCES);
    expect(server.requests).toHaveLength(3);
  });

  it('never sends more than maxAttempts and reports the count', async () => {
    const { server, client } = await setup((_req, res) => json(res, 503, { Code: 'ServiceUnavailable' }), {
      maxAttempts: 4,
    });
    const error = await caught(client.getLinkedSources('acme'));
    expect(error).toBeInstanceOf(HotglueApiError);
    expect(error).toMatchObject({
      status: 503,
      attempts: 4,
      method: 'GET',
      hotglueCode: 'ServiceUnavailable',
    });
    expect(server.requests).toHaveLength(4);
  });

  it('does not retry other 4xx', async () => {
    const { server, client } = await setup((_req, res) =>
      json(res, 404, { Code: 'NotFoundError', Message: 'ChaliceViewError: Resource not found' }),
    );
    const error = (await caught(client.getLinkedSources('acme'))) as HotglueApiError;
    expect(error).toMatchObject({
      status: 404,
      hotglueCode: 'NotFoundError',
      hotglueMessage: 'Resource not found',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('reads lowercase code/message', async () => {
    const { client } = await setup((_req, res) => json(res, 403, { message: 'Forbidden' }));
    const error = (await caught(client.getSupportedFlows())) as HotglueApiError;
    expect(error).toMatchObject({ status: 403, hotglueCode: undefined, hotglueMessage: 'Forbidden' });
  });

  it("keeps a tenant OAuth token echoed in hotglue's Message out of the error", async () => {
    const echoed = 'Upstream refused Bearer at-CANARY-1 and token CANARYopaqueOAuthValue0123456789';
    const { client } = await setup((_req, res) => json(res, 400, { Code: 'BadRequest', Message: echoed }));
    const error = (await caught(client.getLinkedSources('acme'))) as HotglueApiError;
    expect(error.status).toBe(400);
    expect(`${error.message} ${error.hotglueMessage} ${error.stack}`).not.toContain('CANARY');
    expect(error.hotglueMessage).toContain('Upstream refused Bearer [REDACTED]');
  });

  it('retries 408 and 429 too', async () => {
    const { server, client } = await setup((_req, res, i) =>
      i === 0 ? json(res, 408, {}) : i === 1 ? json(res, 429, {}) : json(res, 200, SOURCES),
    );
    await expect(client.getLinkedSources('acme')).resolves.toEqual(SOURCES);
    expect(server.requests).toHaveLength(3);
  });

  it('a POST job run answered 503 is sent exactly once', async () => {
    const { server, client } = await setup((_req, res) => json(res, 503, { Code: 'ServiceUnavailable' }));
    const error = await caught(client.runJob('acme', { tap: 'salesforce' }));
    expect(error).toMatchObject({ status: 503, attempts: 1, method: 'POST' });
    expect(server.requests).toHaveLength(1);
  });

  it('a POST is retried when the caller opts in with retry: true', async () => {
    const { server, client } = await setup((_req, res, i) =>
      i === 0 ? json(res, 503, {}) : json(res, 200, { job_id: 'j1' }),
    );
    await expect(client.runJob('acme', {}, { retry: true })).resolves.toEqual({ job_id: 'j1' });
    expect(server.requests).toHaveLength(2);
  });

  it('PATCH is not retried by default', async () => {
    const { server, client } = await setup((_req, res) => json(res, 502, {}));
    await caught(client.updateLinkedSource('acme', { tap: 'salesforce', config: {} }));
    expect(server.requests).toHaveLength(1);
  });

  it('GET methods take no retry flag: a stray one does not change their retries', async () => {
    const { server, client } = await setup((_req, res) => json(res, 500, {}));
    await caught(client.getLinkedSources('acme', { retry: false } as never));
    // getLinkedSources has no retry option: the flag is ignored and the GET is retried.
    expect(server.requests).toHaveLength(3);
  });
});

describe('HotglueClient transport: Retry-After', () => {
  it('honours Retry-After in seconds', async () => {
    const { server, client } = await setup((_req, res, i) =>
      i === 0 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, SOURCES),
    );
    const started = Date.now();
    await expect(client.getLinkedSources('acme')).resolves.toEqual(SOURCES);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it("retries 423 (Locked) as hotglue's SDK does, honouring its Retry-After", async () => {
    const { server, client } = await setup((_req, res, i) =>
      i === 0 ? json(res, 423, { Code: 'Locked' }, { 'retry-after': '1' }) : json(res, 200, SOURCES),
    );
    const started = Date.now();
    await expect(client.getLinkedSources('acme')).resolves.toEqual(SOURCES);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const { server, client } = await setup((_req, res, i) =>
      i === 0
        ? json(res, 503, {}, { 'retry-after': new Date(Date.now() + 2000).toUTCString() })
        : json(res, 200, SOURCES),
    );
    const started = Date.now();
    await expect(client.getLinkedSources('acme')).resolves.toEqual(SOURCES);
    // HTTP-dates have whole seconds: the wait is between 1 and 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.requests).toHaveLength(2);
  });

  it('falls back to the normal backoff on a garbage Retry-After', async () => {
    const { server, client } = await setup((_req, res, i) =>
      i === 0 ? json(res, 429, {}, { 'retry-after': 'soon, maybe' }) : json(res, 200, SOURCES),
    );
    const started = Date.now();
    await expect(client.getLinkedSources('acme')).resolves.toEqual(SOURCES);
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(2);
  });

  it('fails with a typed error when Retry-After exceeds the cap (no silent clamp)', async () => {
    const { server, client } = await setup((_req, res) => json(res, 429, {}, { 'retry-after': '120' }), {
      maxRetryAfterMs: 10_000,
    });
    const started = Date.now();
    const error = await caught(client.getLinkedSources('acme'));
    expect(error).toBeInstanceOf(HotglueRetryAfterTooLongError);
    expect(error).toMatchObject({ retryAfterMs: 120_000, maxRetryAfterMs: 10_000, status: 429, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(1);
  });
});

describe('HotglueClient transport: broken responses', () => {
  it('retries a GET whose body is cut by a reset', async () => {
    const { server, client } = await setup((_req, res, i) => {
      if (i === 0) {
        stallBody(res);
        setTimeout(() => res.socket?.destroy(), 20);
      } else json(res, 200, SOURCES);
    });
    await expect(client.getLinkedSources('acme')).resolves.toEqual(SOURCES);
    expect(server.requests).toHaveLength(2);
  });

  it('a POST cut by a reset fails with HotglueNetworkError after one attempt', async () => {
    const { server, client } = await setup((_req, res) => {
      stallBody(res);
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await caught(client.linkSource('acme', { source: { tap: 'salesforce' } }));
    expect(error).toBeInstanceOf(HotglueNetworkError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a reset before the headers', async () => {
    const { server, client } = await setup((req, res, i) =>
      i === 0 ? req.socket.destroy() : json(res, 200, SOURCES),
    );
    await expect(client.getLinkedSources('acme')).resolves.toEqual(SOURCES);
    expect(server.requests).toHaveLength(2);
  });

  it('a stalled body times out per attempt', async () => {
    const { server, client } = await setup((_req, res) => stallBody(res), {
      attemptTimeoutMs: 200,
      maxAttempts: 1,
    });
    const started = Date.now();
    const error = await caught(client.getLinkedSources('acme'));
    expect(error).toBeInstanceOf(HotglueTimeoutError);
    expect(error).toMatchObject({ kind: 'attempt', timeoutMs: 200, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('the overall deadline holds across attempts and backoff', async () => {
    const { server, client } = await setup((_req, res) => stallBody(res), {
      attemptTimeoutMs: 150,
      timeoutMs: 400,
      maxAttempts: 10,
    });
    const started = Date.now();
    const error = await caught(client.getLinkedSources('acme'));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(HotglueTimeoutError);
    expect(error).toMatchObject({ kind: 'overall', timeoutMs: 400 });
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(700);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('the overall deadline holds when backoff would pass it', async () => {
    const { server, client } = await setup((_req, res) => json(res, 503, {}, { 'retry-after': '1' }), {
      timeoutMs: 500,
      attemptTimeoutMs: 500,
      maxAttempts: 5,
    });
    const started = Date.now();
    const error = await caught(client.getLinkedSources('acme'));
    expect(error).toMatchObject({ kind: 'overall', attempts: 1 });
    expect((error as Error).cause).toBeInstanceOf(HotglueApiError);
    expect(Date.now() - started).toBeLessThan(400);
    expect(server.requests).toHaveLength(1);
  });

  it('malformed JSON fails with HotglueResponseInvalidError, not retried', async () => {
    const { server, client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"tap": "salesforce",');
    });
    const error = await caught(client.getLinkedSources('acme'));
    expect(error).toBeInstanceOf(HotglueResponseInvalidError);
    expect(server.requests).toHaveLength(1);
  });

  it('an oversize body (chunked) stops at the cap', async () => {
    const { client } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(1024);
        let sent = 0;
        const pump = () => {
          while (sent < 1000 && res.write(chunk)) sent++;
          if (sent < 1000) res.once('drain', pump);
          else res.end();
        };
        pump();
      },
      { maxResponseBytes: 4096 },
    );
    const error = await caught(client.getLinkedSources('acme'));
    expect(error).toBeInstanceOf(HotglueResponseTooLargeError);
    expect(error).toMatchObject({ limitBytes: 4096, attempts: 1 });
  });

  it('an oversize body (Content-Length) is refused before reading', async () => {
    const { client } = await setup((_req, res) => json(res, 200, ['y'.repeat(10_000)]), {
      maxResponseBytes: 4096,
    });
    await expect(client.getLinkedSources('acme')).rejects.toBeInstanceOf(HotglueResponseTooLargeError);
  });

  it('redirects are never followed', async () => {
    const { server, client } = await setup((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:1/steal`, 'content-length': '0' });
      res.end();
    });
    const error = await caught(client.getLinkedSources('acme'));
    expect(error).toBeInstanceOf(HotglueApiError);
    expect(error).toMatchObject({ status: 302, attempts: 1 });
    expect(error.message).toMatch(/redirects are never followed/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('HotglueClient transport: cancellation', () => {
  it('an abort during backoff returns at once', async () => {
    const { server, client } = await setup((_req, res) => json(res, 503, {}, { 'retry-after': '5' }), {
      timeoutMs: 20_000,
      maxRetryAfterMs: 10_000,
    });
    const controller = new AbortController();
    const started = Date.now();
    const pending = caught(client.getLinkedSources('acme', { signal: controller.signal }));
    await vi.waitUntil(() => server.requests.length === 1);
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(error).toBeInstanceOf(HotglueAbortError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('an abort during a stalled request returns at once', async () => {
    const { client } = await setup(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await caught(client.getLinkedSources('acme', { signal: controller.signal }));
    expect(error).toBeInstanceOf(HotglueAbortError);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('an already aborted signal sends nothing', async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, SOURCES));
    await expect(client.getLinkedSources('acme', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      HotglueAbortError,
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('HotglueClient transport: tenant mode 401', () => {
  it('re-signs exactly once and retries once, then reports the 401', async () => {
    const { server, client, tokens } = await setup((_req, res) =>
      json(res, 401, { Code: 'UnauthorizedError', Message: 'Invalid token' }),
    );
    const created = vi.spyOn(tokens, 'createToken');
    const evicted = vi.spyOn(tokens, 'evictToken');
    await tokens.getToken('acme');
    created.mockClear();
    const error = await caught(client.getLinkedSources('acme', { auth: 'tenant' }));
    expect(error).toMatchObject({ status: 401, attempts: 2 });
    expect(server.requests).toHaveLength(2);
    expect(created).toHaveBeenCalledTimes(1);
    expect(evicted).toHaveBeenCalledWith('acme');
    for (const request of server.requests) expect(request.url).toMatch(/[?&]token=eyJ/);
  });

  it('succeeds when the re-signed token is accepted', async () => {
    const { server, client } = await setup((_req, res, i) =>
      i === 0 ? json(res, 401, { Code: 'UnauthorizedError' }) : json(res, 200, SOURCES),
    );
    await expect(client.getLinkedSources('acme', { auth: 'tenant' })).resolves.toEqual(SOURCES);
    expect(server.requests).toHaveLength(2);
  });

  it('a 401 in secret mode is not retried', async () => {
    const { server, client } = await setup((_req, res) => json(res, 401, { Code: 'UnauthorizedError' }));
    await expect(client.getLinkedSources('acme', { auth: 'secret' })).rejects.toMatchObject({ status: 401 });
    expect(server.requests).toHaveLength(1);
  });

  it('a POST answered 401 in tenant mode is re-signed and sent once more (the first was refused)', async () => {
    const { server, client } = await setup((_req, res, i) =>
      i === 0 ? json(res, 401, {}) : json(res, 200, {}),
    );
    await expect(client.linkSource('acme', { source: { tap: 'x' } }, { auth: 'tenant' })).resolves.toEqual(
      {},
    );
    expect(server.requests).toHaveLength(2);
  });
});

describe('HotglueClient transport: pool and hooks', () => {
  it('reuses one keep-alive connection for sequential calls', async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, SOURCES));
    for (let i = 0; i < 5; i++) await client.getLinkedSources('acme');
    const warm = server.connections;
    for (let i = 0; i < 200; i++) await client.getLinkedSources('acme');
    expect(server.connections).toBe(warm);
  });

  it('calls onRequest/onResponse per attempt without secrets', async () => {
    const events: unknown[] = [];
    const server: ScriptedServer = await startScriptedServer((_req, res, i) =>
      i === 0 ? json(res, 500, {}) : json(res, 200, SOURCES),
    );
    const harness = await createClient(server.url, {
      http: FAST,
      onRequest: (event) => events.push({ on: 'request', ...event }),
      onResponse: (event) => {
        events.push({ on: 'response', ...event });
        throw new Error('a broken hook must not break the call');
      },
    });
    cleanup.push(server.close, harness.close);
    await harness.client.getLinkedSources('acme', { auth: 'tenant' });
    expect(events).toHaveLength(4);
    expect(events[1]).toMatchObject({
      on: 'response',
      status: 500,
      attempt: 1,
      willRetry: true,
      auth: 'tenant',
    });
    expect(events[3]).toMatchObject({ on: 'response', status: 200, attempt: 2, willRetry: false });
    expect(JSON.stringify(events)).toContain('token=[REDACTED]');
    expect(JSON.stringify(events)).not.toMatch(/eyJ|canary/);
  });
});
