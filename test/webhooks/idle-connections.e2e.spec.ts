import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { expectNoLeak } from '../support/leaks.js';
import { openSocket } from './raw-socket.js';
import { type AdapterName, CANARY_SECRET, jobBody, sign, startWebhookApp } from './webhook-harness.js';

const MiB = 1024 * 1024;
const ATTACKERS = 16;
const DELIVERIES = 50;

const head = (...lines: string[]) =>
  ['POST /hotglue/webhooks HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', ...lines].join(
    '\r\n',
  );

/**
 * One attacking client: a connection that declares a 1 MiB body, sends a few bytes and holds; when the server
 * answers (408 after the body deadline) and closes, it opens the next one at once. All from 127.0.0.1, one
 * client address. Counts the answers it got.
 */
function attacker(url: string, stopped: () => boolean, answers: Map<number, number>): Promise<void> {
  return (async () => {
    while (!stopped()) {
      let socket: Socket;
      try {
        socket = await openSocket(url);
      } catch {
        continue;
      }
      await new Promise<void>((resolve) => {
        let received = '';
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1');
        });
        const done = () => {
          const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0);
          answers.set(status, (answers.get(status) ?? 0) + 1);
          resolve();
        };
        socket.once('close', done);
        socket.on('error', () => undefined);
        socket.write(`${head(`Content-Length: ${MiB}`)}\r\n\r\n{"pad":"`);
        const poll = setInterval(() => {
          if (stopped()) {
            clearInterval(poll);
            socket.destroy();
          }
        }, 50);
        socket.once('close', () => clearInterval(poll));
      });
    }
  })();
}

describe.each<AdapterName>(['express', 'fastify'])(
  'webhook route on %s: idle connections holding declared bodies',
  (adapter) => {
    it(`answers >= 95% of ${DELIVERIES} signed deliveries 200 while ${ATTACKERS} connections hold declared 1 MiB bodies and re-open after 408`, async () => {
      // Defaults: 1 MiB per body, 16 MiB in flight, 5 s deadline. A shorter deadline makes the attackers
      // cycle (408, re-open) several times within the spec: the re-opening is part of the attack.
      const t = await startWebhookApp(adapter, { secret: CANARY_SECRET, bodyTimeoutMs: 1_000 });
      let stop = false;
      const attackAnswers = new Map<number, number>();
      const attackers = Array.from({ length: ATTACKERS }, () => attacker(t.url, () => stop, attackAnswers));
      try {
        // Let every attacker connect and declare its body before the first delivery.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const statuses: number[] = [];
        for (let i = 0; i < DELIVERIES; i++) {
          const body = JSON.stringify(jobBody({ job_id: `idle-${i}`, s3_root: `${adapter}/idle/${i}` }));
          statuses.push((await t.post(body, { 'x-hub-signature': sign(body) })).status);
          // Spread the deliveries over the attackers' 408-and-reopen cycles.
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
        const ok = statuses.filter((status) => status === 200).length;
        expect(ok, `statuses: ${JSON.stringify(statuses)}`).toBeGreaterThanOrEqual(
          Math.ceil(DELIVERIES * 0.95),
        );
        expect(t.handler.events.length).toBe(ok);
        // The attack was live: attackers were answered 408 and came back.
        expect(attackAnswers.get(408) ?? 0).toBeGreaterThanOrEqual(ATTACKERS);
      } finally {
        stop = true;
        await Promise.all(attackers);
        await t.close();
      }
      expectNoLeak(t.output.text(), [CANARY_SECRET], 'logs');
    }, 90_000);

    it('20 bodies that stall one byte short of their declared 1 MiB are answered (408, or 503 past the budget) and closed', async () => {
      const timeoutMs = 5_000; // the default deadline
      const t = await startWebhookApp(adapter, { secret: CANARY_SECRET });
      const sockets: Socket[] = [];
      try {
        const results = await Promise.all(
          Array.from({ length: 20 }, async () => {
            const socket = await openSocket(t.url);
            sockets.push(socket);
            socket.on('error', () => undefined);
            let received = '';
            socket.on('data', (chunk: Buffer) => {
              received += chunk.toString('latin1');
            });
            const started = Date.now();
            const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
            socket.write(`${head(`Content-Length: ${MiB}`)}\r\n\r\n`);
            socket.write(Buffer.alloc(MiB - 1, 0x20));
            const closedAt = await Promise.race([
              closed,
              new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 20_000)),
            ]);
            return { received, elapsed: closedAt - started };
          }),
        );
        for (const { received, elapsed } of results) {
          expect(received).toMatch(/^HTTP\/1\.1 (408|503) /);
          // Closed by the server: within the deadline plus the 1 s linger and generous scheduling slack.
          expect(elapsed).toBeLessThan(timeoutMs + 1_000 + 8_000);
        }
      } finally {
        for (const socket of sockets) socket.destroy();
        await t.close();
      }
    }, 60_000);
  },
);
