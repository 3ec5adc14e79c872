import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '../support/leaks.js';
import { openSocket, rawExchange } from './raw-socket.js';
import {
  type AdapterName,
  CANARY_SECRET,
  jobBody,
  sign,
  startWebhookApp,
  type WebhookTestApp,
} from './webhook-harness.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const MiB = 1024 * 1024;
/** Generous bound on "answered at all" (the old code never answered these). */
const ANSWER_WITHIN_MS = 8_000;

const head = (...lines: string[]) =>
  ['POST /hotglue/webhooks HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', ...lines].join(
    '\r\n',
  );

/** Resolves when `socket` can take more bytes, or is gone. */
const writable = (socket: Socket) =>
  new Promise<void>((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });

/** Writes chunked-encoded 64 KiB chunks, honouring backpressure, until the socket is gone or `limit` is sent. */
async function streamChunked(socket: Socket, limit: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  for (let sent = 0; sent < limit && !socket.destroyed && socket.writable; sent += chunk.length) {
    if (!socket.write(frame)) await writable(socket);
  }
}

/** A connection that sent its headers and a few body bytes, then stalls; `answer` is its response head. */
async function stalledBody(url: string, declared: number, padding = 0) {
  const socket = await openSocket(url);
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', () => undefined);
  socket.write(`${head(`Content-Length: ${declared}`)}\r\n\r\n{"pad":"${' '.repeat(padding)}`);
  return {
    socket,
    answer: () => received,
    status: () => Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0),
  };
}

describe.each<AdapterName>(['express', 'fastify'])('webhook route on %s under hostile bodies', (adapter) => {
  let t: WebhookTestApp;
  const responses: string[] = [];
  beforeAll(async () => {
    t = await startWebhookApp(adapter, { secret: CANARY_SECRET, bodyTimeoutMs: 300 });
  });
  afterAll(async () => {
    await t.close();
    expectNoLeak(t.output.text(), [CANARY_SECRET], 'logs');
    expectNoLeak(responses.join('\n'), [CANARY_SECRET], 'responses');
  });

  it('refuses a declared Content-Length above the cap with 413 from the header, and closes', async () => {
    const res = await rawExchange(
      t.url,
      head('Content-Length: 10000000000'),
      () => undefined,
      ANSWER_WITHIN_MS,
    );
    responses.push(res.body);
    expect(res.status).toBe(413);
    expect(res.head).toMatch(/\r\nconnection: close/i);
    expect(res.closedByServer).toBe(true);
    expect(t.handler.events).toHaveLength(0);
  });

  it('stops reading a chunked body past the cap: 413, and the connection closes while the client still writes', async () => {
    const limit = 512 * MiB;
    const res = await rawExchange(
      t.url,
      head('Transfer-Encoding: chunked'),
      (socket) => streamChunked(socket, limit),
      ANSWER_WITHIN_MS,
    );
    responses.push(res.body);
    expect(res.status).toBe(413);
    expect(res.closedByServer).toBe(true);
    // The server stopped taking bytes soon after the cap; a server that drained would take all 512 MiB.
    expect(res.bytesWritten).toBeLessThan(limit / 4);
  });

  it('answers a trickled body 408 after the body deadline (bodyTimeoutMs: 300), and closes', async () => {
    let trickling = true;
    const res = await rawExchange(
      t.url,
      head('Content-Length: 1000', `X-Hub-Signature: ${sign('x')}`),
      async (socket) => {
        while (trickling && !socket.destroyed) {
          socket.write('x');
          await sleep(100);
        }
      },
      ANSWER_WITHIN_MS,
    );
    trickling = false;
    responses.push(res.body);
    expect(res.status).toBe(408);
    expect(res.closedByServer).toBe(true);
  });

  it('still processes normal signed deliveries (Content-Length and chunked)', async () => {
    const body = JSON.stringify(jobBody({ job_id: 'normal', s3_root: `${adapter}/normal` }));
    const res = await t.post(body, { 'x-hub-signature': sign(body) });
    expect(res.status).toBe(200);
    const chunkedBody = JSON.stringify(jobBody({ job_id: 'chunked', s3_root: `${adapter}/chunked` }));
    const chunked = await rawExchange(
      t.url,
      head('Transfer-Encoding: chunked', `X-Hub-Signature: ${sign(chunkedBody)}`, 'Connection: close'),
      (socket) => {
        const bytes = Buffer.from(chunkedBody);
        socket.write(`${bytes.length.toString(16)}\r\n`);
        socket.write(bytes);
        socket.write('\r\n0\r\n\r\n');
      },
      ANSWER_WITHIN_MS,
    );
    responses.push(chunked.body);
    expect(chunked.status).toBe(200);
    expect(t.handler.events.map((e) => e.event)).toMatchObject([{ jobId: 'normal' }, { jobId: 'chunked' }]);
  });
});

describe.each<AdapterName>(['express', 'fastify'])(
  'webhook route on %s: in-flight body budget',
  (adapter) => {
    it('refuses bodies beyond the in-flight budget with 503 and Retry-After; the budget comes back when they go', async () => {
      const t = await startWebhookApp(adapter, { secret: CANARY_SECRET, maxInFlightBodyBytes: 3 * MiB });
      const stalled: Array<Awaited<ReturnType<typeof stalledBody>>> = [];
      try {
        // Each sends 900 KiB of its declared 1 MiB - 1 and stalls, holding what it sent: the fourth's bytes
        // do not fit in 3 MiB (the budget counts bytes received, never a declared length).
        for (let i = 0; i < 6; i++) {
          stalled.push(await stalledBody(t.url, MiB - 1, 900 * 1024));
          await sleep(50);
        }
        for (let i = 0; i < 100 && stalled.filter((s) => s.status() === 503).length < 3; i++) await sleep(50);
        const refused = stalled.filter((s) => s.status() === 503);
        expect(refused).toHaveLength(3);
        for (const s of refused) expect(s.answer()).toMatch(/\r\nretry-after: \d+\r\n/i);
        expect(stalled.filter((s) => s.status() === 0)).toHaveLength(3);
        // A signed delivery larger than the room left (3 MiB - 2.7 MiB) is refused as well.
        const body = JSON.stringify(
          jobBody({ job_id: 'budget', s3_root: `${adapter}/budget`, pad: 'x'.repeat(400 * 1024) }),
        );
        const busy = await rawExchange(
          t.url,
          head(`Content-Length: ${Buffer.byteLength(body)}`, `X-Hub-Signature: ${sign(body)}`),
          (socket) => void socket.write(body),
          ANSWER_WITHIN_MS,
        );
        expect(busy.status).toBe(503);
        // The stalled clients go away: their reservations are released and deliveries flow again.
        for (const s of stalled) s.socket.destroy();
        let status = 0;
        for (let i = 0; i < 40 && status !== 200; i++) {
          await sleep(50);
          status = (await t.post(body, { 'x-hub-signature': sign(body) })).status;
        }
        expect(status).toBe(200);
        expect(t.handler.events).toHaveLength(1);
        expectNoLeak(t.output.text(), [CANARY_SECRET], 'logs');
      } finally {
        for (const s of stalled) s.socket.destroy();
        await t.close();
      }
    });
  },
);

describe('webhook route on express: an absolute-form request target', () => {
  it('is captured like the origin form: signed delivery 200, no false setup error, bounded body', async () => {
    const t = await startWebhookApp('express', { secret: CANARY_SECRET, bodyTimeoutMs: 300 });
    try {
      const body = JSON.stringify(jobBody({ job_id: 'absolute', s3_root: 'express/absolute' }));
      const absolute = (...lines: string[]) =>
        [
          `POST ${t.url}/hotglue/webhooks HTTP/1.1`,
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          ...lines,
        ].join('\r\n');
      const signed = await rawExchange(
        t.url,
        absolute(
          `Content-Length: ${Buffer.byteLength(body)}`,
          `X-Hub-Signature: ${sign(body)}`,
          'Connection: close',
        ),
        (socket) => void socket.write(body),
        ANSWER_WITHIN_MS,
      );
      expect(signed.status).toBe(200);
      expect(t.handler.events).toHaveLength(1);
      // A trickled body gets the capture's deadline (408), not the JSON parser's open-ended read.
      const trickled = await rawExchange(
        t.url,
        absolute('Content-Length: 100'),
        (socket) => void socket.write('{"a":'),
        ANSWER_WITHIN_MS,
      );
      expect(trickled.status).toBe(408);
      expect(trickled.closedByServer).toBe(true);
      expect(t.output.text()).not.toMatch(/body parser/i);
    } finally {
      await t.close();
    }
  }, 30_000);
});
