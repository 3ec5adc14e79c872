/** Which API key a request carried. */
export type EmulatorKeyKind = 'public' | 'secret' | 'invalid' | 'none';

/**
 * Whether a `token` query parameter came and verified: `valid` means RS256, signed by a registered key and
 * not expired on the emulator clock (whether its `sub` fits the route is judged separately).
 */
export type EmulatorTokenState = 'valid' | 'invalid' | 'absent';

/** One request as the emulator saw it. Never holds an API key or a token. */
export interface EmulatorRequest {
  readonly method: string;
  /** The path as received, still percent-encoded, without the query. */
  readonly path: string;
  /** First value of each query parameter; `token` and `state` are replaced by `[REDACTED]`. */
  readonly query: Readonly<Record<string, string>>;
  readonly keyKind: EmulatorKeyKind;
  readonly token: EmulatorTokenState;
  /**
   * Response status the emulator chose (set as soon as it is decided, also for a stalled answer); 0 when a
   * `reset-before-headers` fault cut the connection.
   */
  status: number;
  /** The injected fault's kind, when one was played. */
  fault?: string;
}

/** Value that replaces every `token` in the log. */
export const REDACTED = '[REDACTED]';

/**
 * Query parameters never logged: the tenant token, and an OAuth popup's `state` (the widget puts the public
 * API key in it, and the log holds no API key).
 */
const SECRET_QUERY = new Set(['token', 'state']);

/** What one log entry keeps at most: a long keyless URL must not cost the emulator its memory. */
export const LOG_ENTRY_LIMITS = { path: 1024, params: 32, name: 64, value: 256 } as const;

/**
 * `text` cut to `length` characters (never between the two halves of a surrogate pair), as a string of its
 * own. A `slice()` of the request's URL is, in V8, a view that keeps the whole URL alive (as does a
 * template string built on one): 5,000 entries of 12 KB URLs kept ~75 MB after a full GC. Encoding the
 * result to bytes and decoding them back is a plain, engine-independent way to get a copy that owns only
 * its own characters; UTF-8 round-trips every well-formed string, and one-byte (ASCII) text stays one byte
 * per character in the heap.
 */
function cap(text: string, length: number): string {
  if (text.length <= length) return ownCopy(text);
  const end = isHighSurrogate(text.charCodeAt(length - 1)) ? length - 1 : length;
  return ownCopy(`${text.slice(0, end)}…`);
}

function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The path as a log entry keeps it (at most `LOG_ENTRY_LIMITS.path` characters). */
export function logPath(path: string): string {
  return cap(path, LOG_ENTRY_LIMITS.path);
}

/**
 * Query parameters as a record of first values, `token` and `state` redacted, at most
 * `LOG_ENTRY_LIMITS.params` of them with names and values cut to their limits; for logs only.
 */
export function redactQuery(query: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query).slice(0, LOG_ENTRY_LIMITS.params)) {
    out[cap(name, LOG_ENTRY_LIMITS.name)] = SECRET_QUERY.has(name)
      ? REDACTED
      : cap(value, LOG_ENTRY_LIMITS.value);
  }
  return out;
}

/** `path?query` for a log line, `token` and `state` redacted. */
export function describeRequest(entry: EmulatorRequest): string {
  const query = Object.entries(entry.query)
    .map(([k, v]) =>
      SECRET_QUERY.has(k) ? `${k}=${REDACTED}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
    )
    .join('&');
  return query ? `${entry.path}?${query}` : entry.path;
}

/** The request log: newest last, capped at `limit` entries (oldest dropped in halves, amortised O(1)). */
export class RequestLog {
  private list: EmulatorRequest[] = [];

  constructor(private readonly limit: number) {}

  get entries(): readonly EmulatorRequest[] {
    return this.list;
  }

  add(entry: EmulatorRequest): void {
    this.list.push(entry);
    if (this.list.length > this.limit)
      this.list = this.list.slice(this.list.length - Math.ceil(this.limit / 2));
  }

  clear(): void {
    this.list = [];
  }
}
