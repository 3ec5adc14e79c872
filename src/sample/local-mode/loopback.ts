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
 */
export function isLocalRequest(headers: IncomingMessage['headers'], localPort: number | undefined): boolean {
  const host = headers.host === undefined ? undefined : splitAuthority(headers.host);
  if (!host || !isLoopbackHost(host.host) || (host.port ?? 80) !== localPort) return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && isLoopbackHost(url.hostname) && Number(url.port || 80) === localPort;
}

/**
 * Middleware for local mode: 403 for any request that does not come from this machine's loopback under the
 * app's own host and port (see `isLocalRequest`). It keeps a web page elsewhere, even one that rebinds its
 * DNS name to 127.0.0.1, from reading the demo bearer that `POST /demo/session` hands out.
 */
export function loopbackOnly() {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    if (isLocalRequest(request.headers, request.socket.localPort)) {
      next();
      return;
    }
    const body = JSON.stringify({
      statusCode: 403,
      message: 'Local mode answers only requests to a loopback host (127.0.0.1, localhost, ::1) on its port.',
      error: 'Forbidden',
    });
    response.writeHead(403, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    response.end(body);
  };
}
