import { defaultCatalog } from '../default-seed.js';
import type { LinkKind } from '../emulator-store.js';
import { badRequest, notFound } from '../http-error.js';
import { asObject, type RouteContext, type RouteDefinition } from './route.js';

/** The env-less tenant routes the widget calls (see docs/hotglue-reference.md). */
function tenantRoutes(): RouteDefinition[] {
  return [
    {
      method: 'GET',
      path: '/entity/:env/:tenant/linked',
      access: 'public',
      token: 'optional',
      // Flows in which the entity is already linked: the widget offers to copy credentials when one of them
      // is another flow, and a failure here makes clicking a card do nothing, so this always answers an array.
      handler: (ctx) => {
        const entity = ctx.query.entity;
        if (!entity) throw badRequest('Missing required query parameter: entity');
        return ctx.store.flowsLinking(ctx.params.tenant!, entity);
      },
    },
    {
      method: 'GET',
      path: '/tenant/:env/:tenant/mapping',
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const saved = ctx.store.tenantMapping(ctx.params.tenant!);
        return { mapping: asObject(saved.mapping) ?? {}, source_data: asObject(saved.source_data) ?? {} };
      },
    },
    {
      method: 'PUT',
      path: '/tenant/:env/:tenant/mapping',
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const body = asObject(ctx.body);
        const mapping = asObject(asObject(body?.config)?.mapping);
        if (!mapping) throw badRequest('Missing required field: config.mapping');
        const saved = ctx.store.tenantMapping(ctx.params.tenant!);
        ctx.store.setTenantMapping(ctx.params.tenant!, {
          ...saved,
          mapping: { ...(asObject(saved.mapping) ?? {}), ...mapping },
          ...(typeof body!.entityType === 'string' ? { entityType: body!.entityType } : {}),
          ...(typeof body!.entityId === 'string' ? { entityId: body!.entityId } : {}),
          ...(typeof body!.flow === 'string' ? { flow: body!.flow } : {}),
        });
        return {};
      },
    },
    {
      method: 'PUT',
      path: '/tenant/:env/:tenant/metadata',
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const metadata = asObject(asObject(asObject(ctx.body)?.config)?.metadata);
        if (!metadata) throw badRequest('Missing required field: config.metadata');
        ctx.store.setTenantMetadata(ctx.params.tenant!, {
          ...ctx.store.tenantMetadata(ctx.params.tenant!),
          ...metadata,
        });
        return {};
      },
    },
  ];
}

/** Per kind: path prefix, segment and the query parameter naming the item. */
const DISCOVERABLE: ReadonlyArray<{ kind: LinkKind; prefix: string; segment: string; query: string }> = [
  { kind: 'source', prefix: '', segment: 'linkedSources', query: 'tap_name' },
  { kind: 'target', prefix: '', segment: 'linkedTargets', query: 'target_name' },
  { kind: 'connector', prefix: '/v2', segment: 'linkedConnectors', query: 'connector_id' },
];

function linkedName(ctx: RouteContext, kind: LinkKind, query: string): string {
  const name = ctx.query[query];
  if (!name) throw badRequest(`Missing required query parameter: ${query}`);
  if (!ctx.store.linkedOne(kind, ctx.params.flow!, ctx.params.tenant!, name)) {
    throw notFound(`${name} is not linked for this tenant`);
  }
  return name;
}

/**
 * Discover and its poll: a discover leaves the catalog on the linked item (its own seeded `catalog`, else a
 * small default) and "runs" for one job step of the emulator clock; the poll answers `RUNNING` until then
 * and `STOPPED` after, which is one of the values that end the widget's 1 s polling. Each discover sends the
 * discover webhooks (`DISCOVER_STARTED`, then `DISCOVER_SUCCESS` when the poll stops answering `RUNNING`).
 */
function discoverRoutes(): RouteDefinition[] {
  const routes: RouteDefinition[] = [];
  for (const { kind, prefix, segment, query } of DISCOVERABLE) {
    const base = `${prefix}/:env/:flow/:tenant/${segment}/discover`;
    routes.push({
      method: 'GET',
      path: base,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const name = linkedName(ctx, kind, query);
        const item = ctx.store.linkedOne(kind, ctx.params.flow!, ctx.params.tenant!, name)!;
        const catalog = asObject(item.catalog) ?? defaultCatalog();
        const at = ctx.services.now();
        ctx.store.startDiscover(kind, ctx.params.flow!, ctx.params.tenant!, name, catalog, at);
        ctx.services.discoverStarted({
          kind,
          flowId: ctx.params.flow!,
          tenantId: ctx.params.tenant!,
          name,
          at,
        });
        return { status: 'RUNNING' };
      },
    });
    if (kind === 'target') continue;
    routes.push({
      method: 'GET',
      path: `${base}/poll`,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const name = linkedName(ctx, kind, query);
        const started = ctx.store.discoverStartedAt(kind, ctx.params.flow!, ctx.params.tenant!, name);
        if (started === undefined) return { status: null };
        const running = ctx.services.now() - started < ctx.services.jobStepMs;
        return { status: running ? 'RUNNING' : 'STOPPED' };
      },
    });
  }
  routes.push(
    {
      method: 'GET',
      path: '/:env/:flow/:tenant/linkedSources/state',
      access: 'public',
      // Not one of the widget's token routes ('widget' mode); the strict requireJwt covers it as every tenant route.
      token: 'optional',
      // The V1 source's incremental state: what the last V1 job with a `state` body left (inferred: hotglue's
      // V1 "Linked sources state" page was not read; the path is the one the widget's DELETE uses).
      handler: (ctx) => {
        const tap = linkedName(ctx, 'source', 'tap_name');
        return ctx.store.sourceState(ctx.params.flow!, ctx.params.tenant!, tap) ?? { bookmarks: {} };
      },
    },
    {
      method: 'DELETE',
      path: '/:env/:flow/:tenant/linkedSources/state',
      access: 'public',
      token: 'optional',
      // "Run a Full Sync Job" resets the incremental state first.
      handler: (ctx) => {
        const tap = linkedName(ctx, 'source', 'tap_name');
        ctx.store.setSourceState(ctx.params.flow!, ctx.params.tenant!, tap, undefined);
        return {};
      },
    },
    {
      method: 'POST',
      path: '/:env/:flow/:tenant/linkedSources/oauth1_authorize_url',
      access: 'public',
      token: 'optional',
      // OAuth 1 sources: the consent page, with the state an OAuth 2 popup would carry.
      handler: (ctx) => {
        const tap = ctx.query.tap_name;
        if (!tap) throw badRequest('Missing required query parameter: tap_name');
        const state = {
          user_id: ctx.params.tenant,
          env_id: ctx.services.envId,
          flow: ctx.params.flow,
          tap_name: tap,
        };
        const url = new URL(`${ctx.services.baseUrl}/_oauth/authorize`);
        url.searchParams.set('provider', tap);
        url.searchParams.set('state', JSON.stringify(state));
        return { url: url.toString() };
      },
    },
  );
  return routes;
}

/** Every widget route not covered by the linked, catalog and job tables. */
export function widgetRoutes(): RouteDefinition[] {
  return [...tenantRoutes(), ...discoverRoutes()];
}
