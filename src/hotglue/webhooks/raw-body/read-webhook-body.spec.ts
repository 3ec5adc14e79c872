import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WebhookBodyBudget } from './body-budget.js';
import { readWebhookBody } from './read-webhook-body.js';

const limits = (budget = new WebhookBodyBudget(100)) => ({ maxBytes: 40, timeoutMs: 200, budget });

describe('readWebhookBody', () => {
  it('refuses a declared length above the cap unread, and reserves nothing for it', async () => {
    const budget = new WebhookBodyBudget(100);
    const stream = new PassThrough();
    expect(await readWebhookBody(stream, { 'content-length': '41' }, limits(budget))).toMatchObject({
      status: 413,
    });
    expect(budget.inFlight).toBe(0);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('reserves the declared length (the cap when chunked) while reading, and releases it at the end', async () => {
    const budget = new WebhookBodyBudget(100);
    const stream = new PassThrough();
    const read = readWebhookBody(stream, { 'content-length': '5' }, limits(budget));
    const chunked = readWebhookBody(new PassThrough(), { 'transfer-encoding': 'chunked' }, limits(budget));
    expect(budget.inFlight).toBe(45);
    // 45 + 40 fits in 100; a fourth body (another 40) does not: 503, unread.
    const third = readWebhookBody(new PassThrough(), { 'transfer-encoding': 'chunked' }, limits(budget));
    expect(budget.inFlight).toBe(85);
    const fourth = readWebhookBody(new PassThrough(), { 'transfer-encoding': 'chunked' }, limits(budget));
    expect(await fourth).toMatchObject({ status: 503, outcome: 'over-budget' });
    expect(budget.inFlight).toBe(85);
    stream.end('hello');
    expect(await read).toMatchObject({ kind: 'body' });
    expect(((await read) as { body: Buffer }).body.toString()).toBe('hello');
    expect(await chunked).toMatchObject({ status: 408 }); // never ended: the deadline
    expect(await third).toMatchObject({ status: 408 });
    expect(budget.inFlight).toBe(0);
  });

  it('stops at the cap (413), pauses the stream, and releases an aborted body', async () => {
    const budget = new WebhookBodyBudget(100);
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
