import type { HotglueConfigIssue } from '../hotglue/index.js';

/** The HTTP platforms the sample runs on (`APP_HTTP_ADAPTER`). */
export type SampleHttpAdapter = 'express' | 'fastify';

/**
 * Reads `APP_HTTP_ADAPTER`: `express` (default) or `fastify` (`@nestjs/platform-fastify`, an optional peer of
 * the library). Any other value is a configuration problem naming the variable and the choices.
 */
export function readHttpAdapter(env: Record<string, string | undefined>): {
  adapter: SampleHttpAdapter;
  issues: HotglueConfigIssue[];
} {
  const raw = env.APP_HTTP_ADAPTER?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'express') return { adapter: 'express', issues: [] };
  if (raw === 'fastify') return { adapter: 'fastify', issues: [] };
  return {
    adapter: 'express',
    issues: [{ path: 'APP_HTTP_ADAPTER', message: 'must be "express" (default) or "fastify".' }],
  };
}
