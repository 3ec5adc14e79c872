import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { isNestDebugEnabled } from './debug-enabled.js';

const statics = Logger as unknown as { logLevels?: unknown; staticInstanceRef?: LoggerService };
const silent: LoggerService = { log() {}, error() {}, warn() {}, debug() {}, verbose() {} };

describe('isNestDebugEnabled (same answer on Nest 11 and 12)', () => {
  const saved = { levels: statics.logLevels, instance: statics.staticInstanceRef };
  afterEach(() => {
    statics.logLevels = saved.levels;
    statics.staticInstanceRef = saved.instance;
  });

  it('is on when the host set no levels, with the default or a custom logger', () => {
    statics.logLevels = undefined;
    statics.staticInstanceRef = new ConsoleLogger();
    expect(isNestDebugEnabled()).toBe(true);
    Logger.overrideLogger(silent);
    expect(isNestDebugEnabled()).toBe(true);
  });

  it('honours the levels the host set', () => {
    Logger.overrideLogger(silent);
    Logger.overrideLogger(['error', 'warn']);
    expect(isNestDebugEnabled()).toBe(false);
    Logger.overrideLogger(['log', 'debug']);
    expect(isNestDebugEnabled()).toBe(true);
  });

  it('honours the levels of a ConsoleLogger the host passed', () => {
    statics.logLevels = undefined;
    Logger.overrideLogger(new ConsoleLogger({ logLevels: ['error'] }));
    expect(isNestDebugEnabled()).toBe(false);
  });

  it('is off with logger: false', () => {
    statics.logLevels = undefined;
    Logger.overrideLogger(false);
    expect(isNestDebugEnabled()).toBe(false);
  });
});
