import type { IncomingMessage, ServerResponse } from 'node:http';

/** True for the names and addresses that never leave this machine: localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

/** `host[:port]` of a `Host` header or an origin's authority, IPv6 brackets kept off; undefined if unparsable. */
function splitAuthority(authority: string): { host: string; port?: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:\]]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!match) return undefined;
  return { host: match[1]!, ...(match[2] ? { port: Number(match[2]) } : {}) };
}

/**
 * Whether a request may reach local mode: its `Host` must name a loopback host with the port it came in on
 * (a DNS-rebinding page sends its own host name), and its `Origin`, when one is sent, must be
 * `http://<loopback>:<that port>`. Requests without `Origin` (curl, same-origin GETs) are served.
 * Answers which header failed, or `ok`.
 */
export function checkLocalRequest(
  headers: IncomingMessage['headers'],
  localPort: number | undefined,
): 'ok' | 'host' | 'origin' {
  const host = headers.host === undefined ? undefined : splitAuthority(headers.host);
  if (!host || !isLoopbackHost(host.host) || (host.port ?? 80) !== localPort) return 'host';
  const origin = headers.origin;
  if (origin === undefined) return 'ok';
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'origin';
  }
  const local =
    url.protocol === 'http:' && isLoopbackHost(url.hostname) && Number(url.port || 80) === localPort;
  return local ? 'ok' : 'origin';
}

const REFUSALS = {
  host: {
    status: 421,
    message: 'Local mode answers only a loopback Host (127.0.0.1, localhost, [::1]) on its port.',
  },
  origin: { status: 403, message: 'Local mode answers only pages served from its own loopback origin.' },
} as const;

/**
 * Middleware for local mode: 421 for a `Host` that is not this machine's loopback with the app's port, 403
 * for a foreign `Origin` (see `checkLocalRequest`). It keeps a web page elsewhere, even one that rebinds its
 * DNS name to 127.0.0.1, from reading the demo bearer that `POST /demo/session` hands out.
 */
export function loopbackOnly() {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const verdict = checkLocalRequest(request.headers, request.socket.localPort);
    if (verdict === 'ok') {
      next();
      return;
    }
    const { status, message } = REFUSALS[verdict];
    const body = JSON.stringify({ statusCode: status, message });
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    response.end(body);
  };
}
