import { verify } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeJwt } from '../../../test/support/token-harness.js';
import { generateTestSigningKey } from '../../hotglue-testing/signing-keys.js';
import { createRs256Signer, signingInput, signRs256 } from './rs256.js';

const key = generateTestSigningKey();

describe('signingInput', () => {
  it('encodes exactly the RS256 header and the three claims, in a fixed order', () => {
    const input = signingInput({ sub: 'acme', iat: 1_700_000_000, exp: 1_700_003_600 });
    const [header, payload, extra] = input.split('.');
    expect(extra).toBeUndefined();
    expect(Buffer.from(header!, 'base64url').toString()).toBe('{"alg":"RS256","typ":"JWT"}');
    expect(Buffer.from(payload!, 'base64url').toString()).toBe(
      '{"sub":"acme","iat":1700000000,"exp":1700003600}',
    );
  });

  it('drops anything but sub, iat and exp even if an untyped caller passes more', () => {
    const claims = { sub: 'acme', iat: 1, exp: 2, admin: true, kid: 'x' } as unknown as Parameters<
      typeof signingInput
    >[0];
    const payload = signingInput(claims).split('.')[1]!;
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toStrictEqual({
      sub: 'acme',
      iat: 1,
      exp: 2,
    });
  });

  it('escapes the tenant id as JSON (no claim injection)', () => {
    const payload = signingInput({ sub: 'a","admin":true,"x":"', iat: 1, exp: 2 }).split('.')[1]!;
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toStrictEqual({
      sub: 'a","admin":true,"x":"',
      iat: 1,
      exp: 2,
    });
  });
});

describe('signRs256', () => {
  it('produces a compact JWT that node:crypto and jose verify with the public key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const input = signingInput({ sub: 'acme', iat: now, exp: now + 60 });
    const token = await signRs256(input, key.privateKey);
    expect(token.startsWith(`${input}.`)).toBe(true);
    const { signature } = decodeJwt(token);
    expect(verify('sha256', Buffer.from(input), key.publicKey, signature)).toBe(true);
    const { payload, protectedHeader } = await jwtVerify(token, await importSPKI(key.publicKeyPem, 'RS256'), {
      algorithms: ['RS256'],
    });
    expect(protectedHeader).toStrictEqual({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toStrictEqual({ sub: 'acme', iat: now, exp: now + 60 });
  });

  it('is deterministic (RSASSA-PKCS1-v1_5) and depends on the key', async () => {
    const input = signingInput({ sub: 'acme', iat: 1, exp: 61 });
    const a = await signRs256(input, key.privateKey);
    expect(await signRs256(input, key.privateKey)).toBe(a);
    expect(await signRs256(input, generateTestSigningKey('other').privateKey)).not.toBe(a);
  });

  it('rejects (does not throw synchronously) when the key cannot sign', async () => {
    const input = signingInput({ sub: 'acme', iat: 1, exp: 61 });
    await expect(signRs256(input, key.publicKey)).rejects.toThrow();
  });
});

describe('createRs256Signer', () => {
  const inputs = Array.from({ length: 40 }, (_, i) => signingInput({ sub: `tenant-${i}`, iat: 1, exp: 61 }));

  it('signs sequential calls (inline path) exactly as the thread-pool path does', async () => {
    const signer = createRs256Signer(key.privateKey);
    for (const input of inputs.slice(0, 5)) {
      expect(await signer(input)).toBe(await signRs256(input, key.privateKey));
    }
  });

  it('signs a burst (one inline, the rest on the pool) correctly and in order', async () => {
    const signer = createRs256Signer(key.privateKey);
    const burst = await Promise.all(inputs.map((input) => signer(input)));
    const expected = await Promise.all(inputs.map((input) => signRs256(input, key.privateKey)));
    expect(burst).toStrictEqual(expected);
  });

  it('leaves the rest of a burst pending after the first call: only one signature runs in this turn', async () => {
    const signer = createRs256Signer(key.privateKey);
    const settled: number[] = [];
    const calls = inputs.slice(0, 5).map((input, i) => signer(input).then(() => settled.push(i)));
    // After one microtask flush the inline signature has settled; the pooled ones cannot have, since
    // their results arrive through libuv callbacks in a later turn of the event loop.
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toStrictEqual([0]);
    await Promise.all(calls);
    expect(settled.sort()).toStrictEqual([0, 1, 2, 3, 4]);
  });

  it('rejects when the key cannot sign, on both paths', async () => {
    const signer = createRs256Signer(key.publicKey);
    const [inline, pooled] = await Promise.allSettled([signer(inputs[0]!), signer(inputs[1]!)]);
    expect(inline.status).toBe('rejected');
    expect(pooled.status).toBe('rejected');
  });
});
