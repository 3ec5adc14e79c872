import type { IncomingMessage, ServerResponse } from 'node:http';

/** True for `localhost`, `127.0.0.0/8` and `::1` (bracketed or not). */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The hostname of a `Host` header (`name:port`, `[v6]:port`); undefined when it cannot be read. */
function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return undefined;
  }
}

function refuse(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ statusCode: status, message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Local mode only: answer nothing but loopback. The server is bound to loopback already; this also refuses
 * a foreign `Host` (a DNS-rebinding page whose name now resolves to 127.0.0.1) with 421 and a foreign
 * `Origin` (another site's page in the user's browser) with 403, so the demo session's bearer and the dev
 * key's tokens cannot be read or used from anywhere but this machine's own pages.
 */
export function loopbackOnly() {
  return function loopbackOnlyGuard(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const hostname = hostnameOf(req.headers.host);
    if (hostname === undefined || !isLoopbackHostname(hostname)) {
      refuse(res, 421, 'Local mode answers loopback Host names only (127.0.0.1, localhost, [::1]).');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let ok = false;
      try {
        ok = isLoopbackHostname(new URL(origin).hostname);
      } catch {
        ok = false;
      }
      if (!ok) {
        refuse(res, 403, 'Local mode answers pages served from loopback only.');
        return;
      }
    }
    next();
  };
}
