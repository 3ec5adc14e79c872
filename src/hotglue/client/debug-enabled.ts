import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';

// Both are protected statics of Nest's Logger on 11 and 12 (set by overrideLogger / useLogger / NestFactory).
type LoggerStatics = { logLevels?: LogLevel[]; staticInstanceRef?: LoggerService };

/**
 * Whether the client's debug lines should be written: they follow the host's logger on Nest 11 and 12.
 * `Logger.isLevelEnabled('debug')` alone differs between the majors when the host set no log levels:
 * Nest 12 answers true (every level on, as Nest's default logger prints them), Nest 11 answers false,
 * which silently dropped every client debug line there. So: levels the host set are honoured; with none,
 * `logger: false` means off, a ConsoleLogger asks its own levels, any other logger gets debug.
 */
export function isNestDebugEnabled(): boolean {
  const statics = Logger as unknown as LoggerStatics;
  if (statics.logLevels) return Logger.isLevelEnabled('debug');
  const instance = statics.staticInstanceRef as
    | (LoggerService & { isLevelEnabled?(l: LogLevel): boolean })
    | undefined;
  if (!instance) return false;
  return typeof instance.isLevelEnabled === 'function' ? instance.isLevelEnabled('debug') : true;
}
