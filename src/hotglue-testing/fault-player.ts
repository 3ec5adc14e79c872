import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EmulatorFault, MALFORMED_JSON_BODY, oversizeBody } from './faults.js';
import { errorCodeFor } from './http-error.js';

/** A computed answer, before it is written (so a fault can garble, delay or cut it). */
export interface EmulatorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Timers of stalled answers, so `close()` can cancel them. */
export interface TimerSet {
  add(timer: NodeJS.Timeout): void;
  delete(timer: NodeJS.Timeout): void;
}

/** Writes a response in one go, with its length. */
export function writeResponse(res: ServerResponse, response: EmulatorResponse): void {
  if (res.destroyed) return;
  res.writeHead(response.status, { ...response.headers, 'content-length': response.body.length });
  res.end(response.body);
}

function later(timers: TimerSet, ms: number, fn: () => void): void {
  const timer = setTimeout(() => {
    timers.delete(timer);
    fn();
  }, ms);
  timers.add(timer);
}

/** Kills the connection; with an RST when the platform can, so the client sees ECONNRESET. */
function reset(req: IncomingMessage): void {
  const socket = req.socket as IncomingMessage['socket'] & { resetAndDestroy?: () => void };
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/** The answer of a fault that replaces the handler (`status`, `redirect`); undefined for the others. */
export function replacementResponse(
  fault: EmulatorFault,
  base: Record<string, string>,
): EmulatorResponse | undefined {
  const json = { ...base, 'content-type': 'application/json' };
  if (fault.kind === 'status') {
    const headers: Record<string, string> =
      fault.retryAfter === undefined ? json : { ...json, 'retry-after': String(fault.retryAfter) };
    const body = fault.body ?? {
      Code: errorCodeFor(fault.status),
      Message: `Injected fault: ${fault.status}`,
    };
    return { status: fault.status, headers, body: Buffer.from(JSON.stringify(body)) };
  }
  if (fault.kind === 'redirect') {
    return {
      status: fault.status ?? 302,
      headers: { ...json, location: fault.location },
      body: Buffer.from('{}'),
    };
  }
  return undefined;
}

/**
 * Plays `fault` for one request. `response` is the normal answer (for the kinds that run the handler) or
 * the replacement. Returns the status the client was sent, 0 when the connection was cut before headers.
 */
export function playFault(
  fault: EmulatorFault,
  req: IncomingMessage,
  res: ServerResponse,
  response: EmulatorResponse,
  timers: TimerSet,
): number {
  switch (fault.kind) {
    case 'reset-before-headers':
      reset(req);
      return 0;
    case 'reset-mid-body': {
      const half = Math.max(1, Math.floor(response.body.length / 2));
      res.writeHead(response.status, { ...response.headers, 'content-length': response.body.length });
      res.write(response.body.subarray(0, half));
      // A FIN after a short pause: the headers and half the body reach the client first, then the body
      // ends short of Content-Length, which every client reports as a premature close.
      later(timers, 20, () => req.socket.destroy());
      return response.status;
    }
    case 'stall-headers':
      later(timers, fault.ms, () => writeResponse(res, response));
      return response.status;
    case 'stall-body': {
      const half = Math.max(1, Math.floor(response.body.length / 2));
      res.writeHead(response.status, { ...response.headers, 'content-length': response.body.length });
      res.write(response.body.subarray(0, half));
      later(timers, fault.ms, () => {
        if (!res.destroyed) res.end(response.body.subarray(half));
      });
      return response.status;
    }
    case 'malformed-json':
      writeResponse(res, { status: 200, headers: response.headers, body: MALFORMED_JSON_BODY });
      return 200;
    case 'oversize':
      writeResponse(res, { status: 200, headers: response.headers, body: oversizeBody(fault.bytes) });
      return 200;
    default:
      writeResponse(res, response);
      return response.status;
  }
}
