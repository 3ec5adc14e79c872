/**
 * Where the path of a request target ends: at its first `?` or `#`. Express routes on `parseurl`'s
 * pathname, which is Node's `url.parse` pathname whenever the target holds a `#`: `/a#x?y` and `/a?y#x`
 * both route as `/a` (cutting at `?` alone would make `/hotglue/webhooks#x` skip the capture).
 */
export function pathEnd(path: string): number {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === 0x3f /* ? */ || code === 0x23 /* # */) return i;
  }
  return path.length;
}

/** `/a/b/?q` -> `/a/b`, lower-cased: Express matches paths case-insensitively and without strict slashes. */
export function normalizePath(path: string): string {
  const cut = path.slice(0, pathEnd(path)).toLowerCase();
  const withSlash = cut.startsWith('/') ? cut : `/${cut}`;
  return withSlash.length > 1 && withSlash.endsWith('/') ? withSlash.slice(0, -1) : withSlash;
}

/**
 * The path part of a request target. An absolute-form target (`POST http://host/hotglue/webhooks`, which
 * HTTP/1.1 servers must accept) is routed by Express on its path (parseurl reads it as Node's `url.parse`
 * does: the authority ends at the first `/`, `?` or `#`), so it must be matched on that path too; otherwise
 * the request reaches the webhook controller without the body capture.
 */
export function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(target);
  if (!scheme) return target;
  const rest = target.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  if (end === -1) return '/';
  return rest[end] === '/' ? rest.slice(end) : `/${rest.slice(end)}`;
}

/**
 * Whether a request path is the webhook route: `/{path}`, or `/{globalPrefix}/{path}` when the host set a
 * global prefix. Both are accepted so a prefix exclusion needs no special case; the prefix is read on the
 * first request, after the host had its chance to call `app.setGlobalPrefix()`. Runs for every POST of the
 * host app, so a length check turns almost every other path away before any string is built.
 */
export class WebhookPathMatcher {
  private targets: Set<string> | undefined;
  private lengths: Set<number> | undefined;

  constructor(
    private readonly path: string,
    private readonly globalPrefix: () => string,
  ) {}

  matches(target: string): boolean {
    const requestPath = originForm(target);
    if (!this.targets || !this.lengths) {
      const prefix = this.globalPrefix();
      const own = normalizePath(this.path.replace(/\/{2,}/g, '/'));
      const all = [own, ...(prefix ? [normalizePath(`${prefix}/${this.path}`.replace(/\/{2,}/g, '/'))] : [])];
      this.targets = new Set(all);
      // A match is the target itself, plus maybe one trailing slash.
      this.lengths = new Set(all.flatMap((target) => [target.length, target.length + 1]));
    }
    if (!this.lengths.has(pathEnd(requestPath))) return false;
    return this.targets.has(normalizePath(requestPath));
  }
}
