/**
 * `import()` of an optional peer whose name reaches the call as a value, not a literal: bundlers (esbuild
 * `--bundle`, webpack) resolve literal specifiers at build time and fail when the peer is not installed, but
 * leave a computed one to Node at run time, where a missing peer is the caller's caught error. So an app
 * bundles with no flag naming an optional peer, and the bundle still starts without it.
 */
export function importOptionalPeer(name: string): Promise<unknown> {
  return import(name);
}
