import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControlCharacters } from './escape-control-characters.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('escapeControlCharacters', () => {
  it('turns line breaks, tabs and terminal escapes into visible text', () => {
    expect(escapeControlCharacters('a\r\nb\tc')).toBe('a\\r\\nb\\tc');
    expect(escapeControlCharacters('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(escapeControlCharacters('\u009b2J \u0085 \u007f \u0000')).toBe('\\x9b2J \\x85 \\x7f \\x00');
    expect(escapeControlCharacters('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
  });

  it('keeps printable text, accents and emoji as they are', () => {
    expect(escapeControlCharacters('Ünïcödé ✓ 🚀 "quoted" \\ back')).toBe('Ünïcödé ✓ 🚀 "quoted" \\ back');
  });

  it('never leaves a control character, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeControlCharacters(text)).not.toMatch(CONTROL);
      }),
    );
  });
});
