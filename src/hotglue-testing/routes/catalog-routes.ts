import { withAbsoluteUrls } from '../catalog/relative-urls.js';
import type { JsonObject } from '../emulator-options.js';
import { badRequest } from '../http-error.js';
import { flag, type RouteContext, type RouteDefinition } from './route.js';

/** Catalog entries as answered: popup URLs absolute, and no `catalog` unless `catalog=true`. */
function present(entries: readonly JsonObject[], ctx: RouteContext, keepCatalog = false): JsonObject[] {
  const withCatalog = keepCatalog || flag(ctx.query.catalog);
  return entries.map((entry) => {
    const absolute = withAbsoluteUrls(entry, ctx.services.baseUrl);
    if (withCatalog) return absolute;
    const { catalog: _catalog, ...rest } = absolute;
    return rest;
  });
}

/** Flows, catalog metadata and the widget preferences (see docs/hotglue-reference.md). */
export function catalogRoutes(): RouteDefinition[] {
  return [
    {
      method: 'GET',
      path: '/:env/preferences',
      access: 'public',
      token: 'optional',
      handler: (ctx) => ctx.store.preferences,
    },
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
      // The widget draws the "CONNECTED" cards from these objects, so they carry every flow field.
      handler: (ctx) => {
        const tenant = ctx.query.user_id;
        if (!tenant) throw badRequest('Missing required query parameter: user_id');
        const ids = ctx.store.linkedFlowIds(tenant);
        return ctx.store.flows.filter((flow) => ids.has(flow.id));
      },
    },
    {
      method: 'GET',
      path: '/:env/:flow/supportedSources',
      access: 'public',
      token: 'optional',
      handler: (ctx) => present(ctx.store.supportedSources, ctx),
    },
    {
      method: 'GET',
      path: '/:env/:flow/supportedTargets',
      access: 'public',
      token: 'optional',
      handler: (ctx) => present(ctx.store.supportedTargets, ctx),
    },
    {
      method: 'GET',
      path: '/:env/availableSources',
      access: 'public',
      token: 'optional',
      handler: (ctx) => present(ctx.store.supportedSources, ctx),
    },
    {
      method: 'GET',
      path: '/:env/availableTargets',
      access: 'public',
      token: 'optional',
      handler: (ctx) => present(ctx.store.supportedTargets, ctx),
    },
    {
      method: 'GET',
      path: '/v2/:env/:flow/supportedConnectors',
      access: 'public',
      token: 'optional',
      handler: (ctx) => present(ctx.store.supportedConnectors, ctx, true),
    },
    {
      method: 'GET',
      path: '/v2/:env/availableConnectors',
      access: 'public',
      token: 'optional',
      handler: (ctx) => present(ctx.store.supportedConnectors, ctx, true),
    },
  ];
}
