/** `/a//b/` -> `/a/b`, lower-cased: Express matches paths case-insensitively and without strict slashes. */
export function normalizePath(path: string): string {
  const cut = path.split('?')[0]!;
  const collapsed = `/${cut}`.replace(/\/{2,}/g, '/').toLowerCase();
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/**
 * Whether a request path is the webhook route: `/{path}`, or `/{globalPrefix}/{path}` when the host set a
 * global prefix. Both are accepted so a prefix exclusion needs no special case; the prefix is read on the
 * first request, after the host had its chance to call `app.setGlobalPrefix()`.
 */
export class WebhookPathMatcher {
  private targets: Set<string> | undefined;

  constructor(
    private readonly path: string,
    private readonly globalPrefix: () => string,
  ) {}

  matches(requestPath: string): boolean {
    if (!this.targets) {
      const prefix = this.globalPrefix();
      const own = normalizePath(this.path);
      this.targets = new Set([own, ...(prefix ? [normalizePath(`${prefix}/${this.path}`)] : [])]);
    }
    return this.targets.has(normalizePath(requestPath));
  }
}
