import { badRequest } from '../http-error.js';
import { flag, type RouteContext, type RouteDefinition } from './route.js';

/** Source settings without their catalog unless `catalog=true` (row 25). */
function withoutCatalog(entries: readonly Record<string, unknown>[], ctx: RouteContext): unknown {
  if (flag(ctx.query.catalog)) return entries;
  return entries.map(({ catalog: _catalog, ...rest }) => rest);
}

/** Flows and catalog metadata (hotglue-api.md §3 rows 22-27 and 29). */
export function catalogRoutes(): RouteDefinition[] {
  return [
    {
      method: 'GET',
      path: '/:env/flows/supported',
      access: 'public',
      token: 'optional',
      handler: (ctx) => ctx.store.flows,
    },
    {
      method: 'GET',
      path: '/:env/flows/:flow/supported',
      access: 'public',
      token: 'optional',
      handler: (ctx) => ctx.store.flow(ctx.params.flow!),
    },
    {
      method: 'GET',
      path: '/:env/flows/linked',
      access: 'public',
      token: 'required',
      tenantFrom: 'user_id',
      handler: (ctx) => {
        const tenant = ctx.query.user_id;
        if (!tenant) throw badRequest('Missing required query parameter: user_id');
        const ids = ctx.store.linkedFlowIds(tenant);
        return ctx.store.flows
          .filter((flow) => ids.has(flow.id))
          .map(({ id, name, description }) => ({ id, name, description }));
      },
    },
    {
      method: 'GET',
      path: '/:env/:flow/supportedSources',
      access: 'public',
      token: 'optional',
      handler: (ctx) => withoutCatalog(ctx.store.supportedSources, ctx),
    },
    {
      method: 'GET',
      path: '/:env/:flow/supportedTargets',
      access: 'public',
      token: 'optional',
      handler: (ctx) => ctx.store.supportedTargets,
    },
    {
      method: 'GET',
      path: '/v2/:env/:flow/supportedConnectors',
      access: 'public',
      token: 'optional',
      handler: (ctx) => ctx.store.supportedConnectors,
    },
    {
      method: 'GET',
      path: '/v2/:env/availableConnectors',
      access: 'public',
      token: 'optional',
      handler: (ctx) => ctx.store.supportedConnectors,
    },
  ];
}
