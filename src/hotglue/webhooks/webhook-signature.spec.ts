import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signHotglueWebhook, verifyHotglueSignature } from './webhook-signature.js';

const secret = 'test-secret';
const body = Buffer.from('{"job_id":"x","status":"JOB_COMPLETED"}');
const hex = createHmac('sha1', secret).update(body).digest('hex');

describe('verifyHotglueSignature', () => {
  it('accepts the hex HMAC-SHA1 of the raw bytes, with or without sha1=, in any case, padded by spaces', () => {
    expect(signHotglueWebhook(secret, body)).toBe(hex);
    expect(verifyHotglueSignature(secret, body, hex)).toBe(true);
    expect(verifyHotglueSignature(secret, body, `sha1=${hex}`)).toBe(true);
    expect(verifyHotglueSignature(secret, body, `SHA1=${hex.toUpperCase()}`)).toBe(true);
    expect(verifyHotglueSignature(secret, body, ` ${hex} `)).toBe(true);
    expect(verifyHotglueSignature(Buffer.from(secret), body, hex)).toBe(true);
  });

  it('refuses a tampered byte, a wrong secret, a missing, repeated, short, non-hex or other-algorithm header', () => {
    const tampered = Buffer.from(body);
    tampered[5] = tampered[5]! ^ 1;
    expect(verifyHotglueSignature(secret, tampered, hex)).toBe(false);
    expect(verifyHotglueSignature('other', body, hex)).toBe(false);
    expect(verifyHotglueSignature(secret, body, undefined)).toBe(false);
    expect(verifyHotglueSignature(secret, body, [hex, hex])).toBe(false);
    expect(verifyHotglueSignature(secret, body, hex.slice(0, 39))).toBe(false);
    expect(verifyHotglueSignature(secret, body, `${hex.slice(0, 39)}g`)).toBe(false);
    expect(verifyHotglueSignature(secret, body, `sha256=${hex}`)).toBe(false);
    expect(verifyHotglueSignature(secret, body, '')).toBe(false);
  });

  it('signs and verifies the empty body', () => {
    const empty = Buffer.alloc(0);
    expect(verifyHotglueSignature(secret, empty, signHotglueWebhook(secret, empty))).toBe(true);
  });

  it('verifies the bytes as sent: a pretty-printed body is not its compact form', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(verifyHotglueSignature(secret, pretty, signHotglueWebhook(secret, pretty))).toBe(true);
    expect(verifyHotglueSignature(secret, pretty, hex)).toBe(false);
  });
});
