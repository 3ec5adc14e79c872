import { describe, expect, it } from 'vitest';
import { readEmulatorSettings } from './emulator-settings.js';

describe('readEmulatorSettings: EMULATOR_REQUIRE_JWT', () => {
  it.each([
    [undefined, true],
    ['true', true],
    ['1', true],
    ['TRUE', true],
    [' widget ', 'widget'],
    ['false', false],
    ['0', false],
    ['False', false],
  ])('%j reads as requireJwt %j', (value, expected) => {
    const { settings, problems } = readEmulatorSettings({ EMULATOR_REQUIRE_JWT: value });
    expect(problems).toEqual([]);
    expect(settings?.requireJwt).toBe(expected);
  });

  it.each(['yes', 'on', '2', 'strict'])(
    '%j is refused with one line naming the variable and the values',
    (value) => {
      const { settings, problems } = readEmulatorSettings({ EMULATOR_REQUIRE_JWT: value });
      expect(settings).toBeUndefined();
      expect(problems).toEqual([
        "EMULATOR_REQUIRE_JWT must be true or 1 (a token on every tenant request), widget (only where hotglue's widget sends one) or false or 0 (none).",
      ]);
    },
  );
});
