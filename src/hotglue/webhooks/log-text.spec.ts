import { describe, expect, it } from 'vitest';
import { logText } from './log-text.js';

describe('logText', () => {
  it('quotes, escapes control characters and caps the length', () => {
    expect(logText('a\nb\u001b[31m')).toBe('"a\\nb\\x1b[31m"');
    expect(logText('é\u2028')).toBe('"é\\u2028"');
    expect(logText('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}..."`);
  });
});
