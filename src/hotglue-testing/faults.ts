/**
 * A failure the emulator plays instead of (or on top of) a normal answer. What each kind does:
 *
 * | kind | handler runs? | what the client sees |
 * |---|---|---|
 * | `status` | no | `status` with `body` (default hotglue `{ Code, Message }`) and `Retry-After` when given |
 * | `reset-before-headers` | no | the socket is destroyed before any byte of the response |
 * | `reset-mid-body` | yes | headers with the full `Content-Length`, half the body, then a reset |
 * | `stall-headers` | yes | nothing for `ms`, then the normal answer |
 * | `stall-body` | yes | headers and half the body, nothing for `ms`, then the rest |
 * | `malformed-json` | yes | 200, `application/json`, a body that is not JSON |
 * | `oversize` | yes | 200, a valid JSON body of exactly `bytes` bytes |
 * | `redirect` | no | `status` (default 302) with `Location: location` and an empty JSON body |
 */
export type EmulatorFault =
  | {
      kind: 'status';
      status: number;
      /** Seconds (number or numeric string) or an HTTP-date string, sent verbatim as `Retry-After`. */
      retryAfter?: number | string;
      /** Response body; default hotglue's error JSON `{ Code, Message }` for the status. */
      body?: unknown;
    }
  | { kind: 'reset-before-headers' }
  | { kind: 'reset-mid-body' }
  | { kind: 'stall-headers'; ms: number }
  | { kind: 'stall-body'; ms: number }
  | { kind: 'malformed-json' }
  | { kind: 'oversize'; bytes: number }
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 307 | 308 };

/** Which requests a fault applies to; every field narrows it. */
export interface EmulatorFaultMatch {
  /** HTTP method, case-insensitive. Without it, any method except the CORS preflight `OPTIONS`. */
  method?: string;
  /** Tested against the percent-DECODED path (no query), e.g. `/linkedSources$/`. */
  path?: RegExp;
  /** How many matching requests get the fault. Default 1; `Infinity` for all until `clearFaults()`. */
  times?: number;
}

interface FaultEntry {
  readonly fault: EmulatorFault;
  readonly method?: string;
  readonly path?: RegExp;
  remaining: number;
}

/** The queue of injected faults. The first entry that matches a request is used and counted down. */
export class FaultQueue {
  private entries: FaultEntry[] = [];

  add(fault: EmulatorFault, match: EmulatorFaultMatch = {}): void {
    const times = match.times ?? 1;
    if (!(times > 0)) throw new RangeError('injectFault: times must be a positive number or Infinity');
    const entry: FaultEntry = { fault, remaining: times };
    if (match.method !== undefined) Object.assign(entry, { method: match.method.toUpperCase() });
    if (match.path !== undefined) Object.assign(entry, { path: match.path });
    this.entries.push(entry);
  }

  clear(): void {
    this.entries = [];
  }

  /** Takes the fault for this request, if any, and counts it down. */
  take(method: string, decodedPath: string): EmulatorFault | undefined {
    if (this.entries.length === 0) return undefined;
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.method === undefined ? method === 'OPTIONS' : entry.method !== method) continue;
      if (entry.path) {
        // A /g or /y RegExp keeps `lastIndex` between calls; reset it so every request is tested alike.
        entry.path.lastIndex = 0;
        if (!entry.path.test(decodedPath)) continue;
      }
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.entries.splice(i, 1);
      return entry.fault;
    }
    return undefined;
  }
}

/** Whether the route handler still runs under this fault (see the table on `EmulatorFault`). */
export function faultRunsHandler(fault: EmulatorFault): boolean {
  return fault.kind !== 'status' && fault.kind !== 'reset-before-headers' && fault.kind !== 'redirect';
}

/** A JSON document of exactly `bytes` bytes (at least `{"p":""}`, 8 bytes): `{"p":"xxxx..."}`. */
export function oversizeBody(bytes: number): Buffer {
  const size = Math.max(8, Math.floor(bytes));
  const buffer = Buffer.alloc(size, 'x');
  buffer.write('{"p":"', 0, 'latin1');
  buffer.write('"}', size - 2, 'latin1');
  return buffer;
}

/** A body that starts like JSON and is cut off: every JSON parser rejects it. */
export const MALFORMED_JSON_BODY = Buffer.from('{"Code": "ok", "items": [1, 2,');
