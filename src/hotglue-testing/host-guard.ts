import { isIP } from 'node:net';

/** True for the names and addresses that never leave this machine: localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackName(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

/** `host[:port]` of a `Host` header or an `allowedHosts` entry, lower-cased, IPv6 kept in brackets. */
function splitAuthority(authority: string): { host: string; port?: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]/\s@]+)(?::(\d{1,5}))?$/i.exec(authority.trim());
  if (!match) return undefined;
  return { host: match[1]!.toLowerCase(), ...(match[2] ? { port: Number(match[2]) } : {}) };
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

/**
 * Whether `entry` is a valid `allowedHosts` entry: `*`, or a host name or IP address (IPv6 in brackets)
 * with an optional `:port`.
 */
export function isAllowedHostEntry(entry: string): boolean {
  if (entry === '*') return true;
  const parts = splitAuthority(entry);
  if (!parts || (parts.port !== undefined && parts.port > 65535)) return false;
  const bare = parts.host.replace(/^\[(.*)\]$/, '$1');
  return parts.host.startsWith('[') ? isIP(bare) === 6 : isIP(bare) === 4 || HOST_NAME.test(bare);
}

/**
 * The emulator's defence against DNS rebinding. A web page on `evil.example` that re-points its
 * name at 127.0.0.1 reaches the emulator with `Host: evil.example:<port>` and `Origin: http://evil.example:
 * <port>`; on a loopback listener that Host is refused (421), so such a page can neither read the API's
 * answers nor drive the consent page. `allowedHosts` widens the set for setups behind a proxy; `*` turns
 * the check off. On a non-loopback listener (`0.0.0.0` in a container) the check is off unless
 * `allowedHosts` lists names, since clients there legitimately use any name.
 */
export class HostGuard {
  private port: number | undefined;
  private enforced = false;
  private readonly any: boolean;
  private readonly entries: ReadonlyArray<{ host: string; port?: number }>;

  constructor(private readonly allowedHosts: readonly string[] | undefined) {
    if (allowedHosts !== undefined) {
      if (
        !Array.isArray(allowedHosts) ||
        !allowedHosts.every((e) => typeof e === 'string' && isAllowedHostEntry(e))
      ) {
        throw new TypeError(
          'HotglueEmulator: allowedHosts must list host names or IP addresses, each with an optional :port, or "*".',
        );
      }
    }
    this.any = allowedHosts?.includes('*') ?? false;
    this.entries = (allowedHosts ?? []).filter((e) => e !== '*').map((e) => splitAuthority(e)!);
  }

  /** Called once listening: the real port, and whether the bound address is a loopback one. */
  bind(port: number, boundAddress: string): void {
    this.port = port;
    this.enforced = !this.any && (isLoopbackName(boundAddress) || this.allowedHosts !== undefined);
  }

  /** Whether a request with this `Host` header may be served (always, when the check is off). */
  allows(hostHeader: string | undefined): boolean {
    if (!this.enforced) return true;
    const host = hostHeader === undefined ? undefined : splitAuthority(hostHeader);
    if (!host) return false;
    if (isLoopbackName(host.host) && (host.port ?? 80) === this.port) return true;
    return this.listed(host);
  }

  /**
   * Whether `origin` is the emulator's own: `http://<Host>` of this very request, or one whose host is listed
   * in `allowedHosts` (a proxy may rewrite `Host`, and may speak https). `null` (an opaque origin) and an
   * unparsable origin are foreign. An absent `Origin` is not judged here: browsers send one on every POST,
   * and a client that leaves it out could as well forge it.
   */
  isOwnOrigin(origin: string, hostHeader: string | undefined): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const defaultPort = url.protocol === 'https:' ? 443 : 80;
    const originHost = { host: url.hostname.toLowerCase(), port: Number(url.port || defaultPort) };
    const host = hostHeader === undefined ? undefined : splitAuthority(hostHeader);
    // The emulator itself speaks plain HTTP: its own origin is http://<Host>; https only through a proxy.
    const same = host && host.host === originHost.host && (host.port ?? 80) === originHost.port;
    if (same && url.protocol === 'http:') return true;
    return this.listed(originHost);
  }

  private listed(host: { host: string; port?: number }): boolean {
    return this.entries.some(
      (entry) => entry.host === host.host && (entry.port === undefined || entry.port === (host.port ?? 80)),
    );
  }
}
