import { badRequest, EmulatorHttpError, notFound } from './http-error.js';
import type { RouteDefinition, RouteParams } from './routes/route.js';

interface CompiledRoute {
  readonly route: RouteDefinition;
  /** Per segment: a literal to compare, or the name of the parameter it fills. */
  readonly segments: ReadonlyArray<{ readonly literal?: string; readonly param?: string }>;
}

/** A matched route with its decoded parameters. */
export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly params: RouteParams;
}

/**
 * Splits a raw (still percent-encoded) path on `/` FIRST and decodes each segment afterwards, so an
 * encoded `/` (`%2F`) inside a tenant id stays one segment and `%2E%2E` is a tenant called `..`, never a
 * traversal. Raw `.`/`..` segments are refused: a client that sends them forgot to encode an id.
 */
export function splitPath(rawPath: string): string[] {
  const raw = rawPath.split('/').slice(1);
  const out: string[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const segment = raw[i]!;
    if (segment === '.' || segment === '..') throw badRequest('Path must not contain dot segments');
    try {
      out[i] = segment.includes('%') ? decodeURIComponent(segment) : segment;
    } catch {
      throw badRequest('Path contains a malformed percent-encoding');
    }
  }
  return out;
}

/** The route table, indexed by segment count so a lookup compares only routes of the right length. */
export class Router {
  private readonly byLength = new Map<number, CompiledRoute[]>();

  constructor(
    routes: readonly RouteDefinition[],
    private readonly envId: string,
  ) {
    for (const route of routes) {
      const segments = route.path
        .split('/')
        .slice(1)
        .map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
      const bucket = this.byLength.get(segments.length) ?? [];
      bucket.push({ route, segments });
      this.byLength.set(segments.length, bucket);
    }
  }

  /**
   * The route for `method` and decoded `segments`. Throws 404 for an unknown path or environment and 405
   * when the path exists for other methods only.
   */
  match(method: string, segments: readonly string[]): RouteMatch {
    let wrongEnv = false;
    let otherMethod = false;
    for (const compiled of this.byLength.get(segments.length) ?? []) {
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const spec = compiled.segments[i]!;
        const value = segments[i]!;
        if (spec.literal !== undefined) ok = spec.literal === value;
        else if (value === '') ok = false;
        else params[spec.param!] = value;
      }
      if (!ok) continue;
      if (params.env !== this.envId) {
        wrongEnv = true;
        continue;
      }
      if (compiled.route.method !== method) {
        otherMethod = true;
        continue;
      }
      return { route: compiled.route, params };
    }
    if (otherMethod) throw new EmulatorHttpError(405, `Method ${method} is not allowed on this path`);
    if (wrongEnv) throw notFound('Environment not found');
    throw notFound('Resource not found');
  }
}
