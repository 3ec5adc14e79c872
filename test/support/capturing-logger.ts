import { inspect } from 'node:util';
import type { LoggerService } from '@nestjs/common';

/** Records every line Nest's Logger writes (debug and verbose included), objects as util.inspect prints them. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private record(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push(
      `${level} ${inspect(message, { depth: 6 })} ${rest.map((r) => inspect(r, { depth: 6 })).join(' ')}`,
    );
  }
  log(message: unknown, ...rest: unknown[]) {
    this.record('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.record('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.record('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.record('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.record('verbose', message, rest);
  }
}

/** Everything an error exposes: message, stack, own fields and the whole cause chain. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 10; depth++) {
    const e = current as Error;
    parts.push(String(e.message), String(e.stack), inspect(e, { depth: 10, showHidden: true }));
    try {
      parts.push(JSON.stringify(e));
    } catch {
      /* circular */
    }
    current = e.cause;
  }
  return parts.join('\n');
}
