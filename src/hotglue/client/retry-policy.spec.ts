import { describe, expect, it } from 'vitest';
import {
  isRetryableNetworkCode,
  isRetryableStatus,
  JitteredBackoff,
  mayRetryMethod,
  parseRetryAfter,
} from './retry-policy.js';

describe('mayRetryMethod', () => {
  it('retries GET, PUT, DELETE; POST and PATCH only on opt-in; opt-out wins', () => {
    expect(['GET', 'PUT', 'DELETE'].map((m) => mayRetryMethod(m, undefined))).toEqual([true, true, true]);
    expect(['POST', 'PATCH'].map((m) => mayRetryMethod(m, undefined))).toEqual([false, false]);
    expect(mayRetryMethod('POST', true)).toBe(true);
    expect(mayRetryMethod('GET', false)).toBe(false);
  });
});

describe('isRetryableStatus / isRetryableNetworkCode', () => {
  it('408, 423, 429 and 5xx only', () => {
    expect([408, 423, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 400, 401, 403, 404, 409, 422, 424].some(isRetryableStatus)).toBe(false);
  });
  it('resets and refusals, not programming errors', () => {
    expect(isRetryableNetworkCode('ECONNRESET')).toBe(true);
    expect(isRetryableNetworkCode('UND_ERR_SOCKET')).toBe(true);
    expect(isRetryableNetworkCode('UND_ERR_INVALID_ARG')).toBe(false);
    // The pool was closed (application shutdown): permanent, not transient.
    expect(isRetryableNetworkCode('UND_ERR_CLOSED')).toBe(false);
    expect(isRetryableNetworkCode(undefined)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 7 ', now)).toBe(7000);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000);
  });
  it('reads an HTTP-date, a past one as 0', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Thursday, 01-Jan-26 00:00:05 GMT', now)).toBe(5000);
  });
  it('gives undefined for garbage, so the normal backoff applies', () => {
    for (const value of [undefined, '', 'soon', '-1', '1.5', 'Thu, 99 Foo 2026 00:00:00 GMT', 'NaN']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});

describe('JitteredBackoff', () => {
  it('stays in [0, min(cap, base * 2^n)) and is random', () => {
    const samples: number[][] = [];
    for (let run = 0; run < 200; run++) {
      const backoff = new JitteredBackoff(100, 1000);
      samples.push(Array.from({ length: 8 }, () => backoff.next()));
    }
    for (const run of samples) {
      run.forEach((delay, n) => {
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(1000, 100 * 2 ** n));
      });
    }
    expect(new Set(samples.map((r) => r[3])).size).toBeGreaterThan(50);
  });
});
