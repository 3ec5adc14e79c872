import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyBudget } from './body-budget.js';
import { readWebhookBody } from './read-webhook-body.js';

const limits = (budget = new BodyBudget(100)) => ({ maxBytes: 40, timeoutMs: 200, budget });

describe('readWebhookBody', () => {
  it('refuses a declared length above the cap unread, and reserves nothing for it', async () => {
    const budget = new BodyBudget(100);
    const stream = new PassThrough();
    expect(await readWebhookBody(stream, { 'content-length': '41' }, limits(budget))).toMatchObject({
      status: 413,
    });
    expect(budget.inFlight).toBe(0);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('reserves bytes as they arrive (never the declared length), refuses a chunk that does not fit, releases at the end', async () => {
    const budget = new BodyBudget(100);
    const stream = new PassThrough();
    const read = readWebhookBody(stream, { 'content-length': '40' }, limits(budget));
    // Declared bodies that send nothing hold nothing.
    const idle = readWebhookBody(new PassThrough(), { 'content-length': '40' }, limits(budget));
    const chunkedIdle = readWebhookBody(
      new PassThrough(),
      { 'transfer-encoding': 'chunked' },
      limits(budget),
    );
    expect(budget.inFlight).toBe(0);
    stream.write('hello');
    expect(budget.inFlight).toBe(5);
    const big = [new PassThrough(), new PassThrough(), new PassThrough()];
    const bigReads = big.map((s) => readWebhookBody(s, { 'content-length': '40' }, limits(budget)));
    big[0]!.write(Buffer.alloc(40));
    big[1]!.write(Buffer.alloc(40));
    expect(budget.inFlight).toBe(85);
    // 85 + 20 > 100: this chunk does not fit: 503, and what that body held is released.
    big[2]!.write(Buffer.alloc(10));
    big[2]!.write(Buffer.alloc(20));
    expect(await bigReads[2]).toMatchObject({ status: 503, outcome: 'over-budget' });
    expect(big[2]!.isPaused()).toBe(true);
    expect(budget.inFlight).toBe(85);
    stream.end();
    expect(((await read) as { body: Buffer }).body.toString()).toBe('hello');
    expect(budget.inFlight).toBe(80);
    big[0]!.end();
    big[1]!.end();
    await Promise.all(bigReads.slice(0, 2));
    expect(await idle).toMatchObject({ status: 408 }); // never sent: the deadline
    expect(await chunkedIdle).toMatchObject({ status: 408 });
    expect(budget.inFlight).toBe(0);
  });

  it('stops at the cap (413), pauses the stream, and releases an aborted body', async () => {
    const budget = new BodyBudget(100);
    const stream = new PassThrough();
    const read = readWebhookBody(stream, { 'transfer-encoding': 'chunked' }, limits(budget));
    stream.write(Buffer.alloc(30));
    stream.write(Buffer.alloc(30));
    expect(await read).toMatchObject({ status: 413, outcome: 'too-large' });
    expect(stream.isPaused()).toBe(true);
    expect(budget.inFlight).toBe(0);
    const gone = new PassThrough();
    const aborted = readWebhookBody(gone, { 'content-length': '10' }, limits(budget));
    gone.destroy();
    expect(await aborted).toEqual({ kind: 'aborted' });
    expect(budget.inFlight).toBe(0);
  });
});
