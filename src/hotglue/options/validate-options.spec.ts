import { describe, expect, it } from 'vitest';
import { generateTestSigningKey } from '../../hotglue-testing/signing-keys.js';
import { HotglueConfigError } from '../hotglue.errors.js';
import { type HotglueModuleOptions } from './hotglue.options.js';
import { validateHotglueOptions } from './validate-options.js';

const base = (): HotglueModuleOptions => ({
  envId: 'dev.example.hotglue.xyz',
  signingKey: generateTestSigningKey().privateKeyBase64,
});

function problems(options: HotglueModuleOptions): string {
  try {
    validateHotglueOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(HotglueConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a HotglueConfigError');
}

describe('http options', () => {
  it('applies every default when http is absent or empty', () => {
    for (const options of [base(), { ...base(), http: {} }]) {
      const { http } = validateHotglueOptions(options).options;
      expect(http).toMatchObject({
        attemptTimeoutMs: 10_000,
        timeoutMs: 30_000,
        maxAttempts: 3,
        maxResponseBytes: 10 * 1024 * 1024,
        connections: 32,
        backoffBaseMs: 250,
        backoffMaxMs: 4000,
        maxRetryAfterMs: 10_000,
      });
    }
  });

  it('lets an unset per-attempt timeout or backoff base follow a lower overall setting', () => {
    const { http } = validateHotglueOptions({
      ...base(),
      http: { timeoutMs: 5000, backoffMaxMs: 100 },
    }).options;
    expect(http).toMatchObject({
      timeoutMs: 5000,
      attemptTimeoutMs: 5000,
      backoffMaxMs: 100,
      backoffBaseMs: 100,
    });
  });

  it.each([
    [{ maxAttempts: 0 }, /http\.maxAttempts: must be at least 1/],
    [{ maxAttempts: 2.5 }, /http\.maxAttempts: must be a whole number/],
    [
      { attemptTimeoutMs: 40_000, timeoutMs: 30_000 },
      /http\.attemptTimeoutMs: must not exceed http\.timeoutMs/,
    ],
    [{ backoffBaseMs: 5000, backoffMaxMs: 1000 }, /http\.backoffBaseMs: must not exceed http\.backoffMaxMs/],
    [{ maxResponseBytes: 10 }, /http\.maxResponseBytes: must be at least 1024/],
    [{ connections: 'many' }, /http\.connections: must be a whole number of sockets/],
    [{ timeout: 5 }, /timeout: unknown option/],
  ])('refuses %j naming the field and the fix', (http, message) => {
    expect(problems({ ...base(), http: http as never })).toMatch(message);
  });

  it('refuses hooks that are not functions', () => {
    expect(problems({ ...base(), onRequest: 'log' as never })).toMatch(/onRequest: must be a function/);
  });

  it('lists every problem at once', () => {
    const message = problems({
      ...base(),
      http: { maxAttempts: 0, maxResponseBytes: 1 },
      onResponse: 1 as never,
    });
    expect(message).toMatch(/3 problems/);
  });
});
