import { withAbsoluteUrls } from '../catalog/relative-urls.js';
import type { JsonObject } from '../emulator-options.js';
import type { LinkKind } from '../emulator-store.js';
import { badRequest, notFound } from '../http-error.js';
import { asObject, flag, type RouteContext, type RouteDefinition } from './route.js';

/** How one kind of link is named on the wire (see docs/client.md, "Operations and their sources"). */
interface LinkShape {
  readonly kind: LinkKind;
  /** Path segment: `linkedSources`, `linkedTargets`, `linkedConnectors`. */
  readonly segment: string;
  /** `/v2` prefix for connectors. */
  readonly v2: boolean;
  /** Body key of POST: `source`, `target`, `connector`. */
  readonly bodyKey: string;
  /** Field that names the item inside it: `tap`, `target`, `id`. */
  readonly nameField: string;
  /** Query parameter that names one item for GET filters and DELETE: `tap_name`, `target_name`, `connector_id`. */
  readonly queryName: string;
  /** Field naming the item in a PATCH body: `tap`, `target`, `connector_id`. */
  readonly patchName: string;
  /** Catalog the stored item is completed from (label, icon, domain...). */
  readonly catalog: (ctx: RouteContext) => JsonObject[];
}

const SHAPES: readonly LinkShape[] = [
  {
    kind: 'source',
    segment: 'linkedSources',
    v2: false,
    bodyKey: 'source',
    nameField: 'tap',
    queryName: 'tap_name',
    patchName: 'tap',
    catalog: (ctx) => ctx.store.supportedSources,
  },
  {
    kind: 'target',
    segment: 'linkedTargets',
    v2: false,
    bodyKey: 'target',
    nameField: 'target',
    queryName: 'target_name',
    patchName: 'target',
    catalog: (ctx) => ctx.store.supportedTargets,
  },
  {
    kind: 'connector',
    segment: 'linkedConnectors',
    v2: true,
    bodyKey: 'connector',
    nameField: 'id',
    queryName: 'connector_id',
    patchName: 'connector_id',
    catalog: (ctx) => ctx.store.supportedConnectors,
  },
];

/**
 * What a caller sees of a stored link: `config` (the tenant's credentials) only with `config=true` and a
 * privileged caller (secret key, or public key with a valid token for this tenant); the catalog only with
 * `catalog=true`.
 */
export function presentLink(item: JsonObject, ctx: RouteContext, allowConfig: boolean): JsonObject {
  const { config, catalog, ...rest } = withAbsoluteUrls(item, ctx.services.baseUrl);
  const out: JsonObject = rest;
  if (allowConfig && config !== undefined && ctx.privileged && flag(ctx.query.config)) out.config = config;
  if (catalog !== undefined && flag(ctx.query.catalog)) out.catalog = catalog;
  return out;
}

function tenantOf(ctx: RouteContext): { flow: string; tenant: string } {
  return { flow: ctx.params.flow!, tenant: ctx.params.tenant! };
}

function requiredQuery(ctx: RouteContext, name: string): string {
  const value = ctx.query[name];
  if (value === undefined || value === '') throw badRequest(`Missing required query parameter: ${name}`);
  return value;
}

function list(shape: LinkShape, ctx: RouteContext): unknown {
  const { flow, tenant } = tenantOf(ctx);
  const filter = ctx.query[shape.queryName];
  const items = ctx.store
    .linked(shape.kind, flow, tenant)
    .filter((item) => filter === undefined || item[shape.nameField] === filter);
  // Credentials handed out are refreshed when expired, and a revoked grant fails as hotglue reports one (inferred).
  const kind = shape.kind;
  const current =
    ctx.privileged && flag(ctx.query.config) && kind !== 'target'
      ? items.map((item) => ctx.services.credentials.handOut(kind, flow, tenant, item))
      : items;
  return current.map((item) => presentLink(item, ctx, true));
}

function create(shape: LinkShape, ctx: RouteContext): unknown {
  const { flow, tenant } = tenantOf(ctx);
  const body = asObject(ctx.body);
  const item = asObject(body?.[shape.bodyKey]);
  // Targets are named by `target` in hotglue's settings objects; accept `id` as well (inferred).
  const name = item?.[shape.nameField] ?? (shape.kind === 'target' ? item?.id : undefined);
  if (!item || typeof name !== 'string' || name === '') {
    throw badRequest(`Missing required field: ${shape.bodyKey}.${shape.nameField}`);
  }
  const meta = shape.catalog(ctx).find((entry) => entry[shape.nameField] === name) ?? {};
  const { [shape.bodyKey]: _item, ...extras } = body!;
  // Unknown fields of the request are kept: the link item's own, then field_map/schedule beside it.
  const stored: JsonObject = { ...structuredClone(meta), ...extras, ...item, [shape.nameField]: name };
  return presentLink(ctx.store.link(shape.kind, flow, tenant, name, stored), ctx, false);
}

function update(shape: LinkShape, ctx: RouteContext): unknown {
  const { flow, tenant } = tenantOf(ctx);
  const body = asObject(ctx.body);
  const name = body?.[shape.patchName];
  if (!body || typeof name !== 'string' || name === '') {
    throw badRequest(`Missing required field: ${shape.patchName}`);
  }
  const existing = ctx.store.linkedOne(shape.kind, flow, tenant, name);
  if (!existing) throw notFound(`${shape.bodyKey} ${name} is not linked for this tenant`);
  const { [shape.patchName]: _name, config, ...rest } = body;
  const patchedConfig = asObject(config);
  const merged: JsonObject = { ...existing, ...rest };
  if (patchedConfig) merged.config = { ...(asObject(existing.config) ?? {}), ...patchedConfig };
  // The widget sends `field_map` but reads `fieldMap` back (see docs/hotglue-reference.md).
  if (asObject(rest.field_map)) merged.fieldMap = rest.field_map;
  // Reconnect sends `config.isReconnecting`; the widget's OAuth poll reads it on the item itself and waits
  // until it is false again (the consent page clears it).
  if (typeof patchedConfig?.isReconnecting === 'boolean')
    merged.isReconnecting = patchedConfig.isReconnecting;
  return presentLink(ctx.store.link(shape.kind, flow, tenant, name, merged), ctx, false);
}

function remove(shape: LinkShape, ctx: RouteContext): unknown {
  const { flow, tenant } = tenantOf(ctx);
  const name = requiredQuery(ctx, shape.queryName);
  if (!ctx.store.unlink(shape.kind, flow, tenant, name)) {
    throw notFound(`${shape.bodyKey} ${name} is not linked for this tenant`);
  }
  return {};
}

function connectorId(ctx: RouteContext): string {
  const { flow, tenant } = tenantOf(ctx);
  const id = requiredQuery(ctx, 'connector_id');
  if (!ctx.store.linkedOne('connector', flow, tenant, id)) {
    throw notFound(`connector ${id} is not linked for this tenant`);
  }
  return id;
}

/** Linked sources, targets and connectors (CRUD), and the connector state routes. */
export function linkedRoutes(): RouteDefinition[] {
  const routes: RouteDefinition[] = [];
  for (const shape of SHAPES) {
    const path = `${shape.v2 ? '/v2' : ''}/:env/:flow/:tenant/${shape.segment}`;
    routes.push(
      { method: 'GET', path, access: 'public', token: 'required', handler: (ctx) => list(shape, ctx) },
      { method: 'POST', path, access: 'public', token: 'required', handler: (ctx) => create(shape, ctx) },
      // The widget sends no token on the V1 PATCH but does on the V2 one.
      {
        method: 'PATCH',
        path,
        access: 'public',
        token: shape.v2 ? 'required' : 'optional',
        handler: (ctx) => update(shape, ctx),
      },
      { method: 'DELETE', path, access: 'public', token: 'required', handler: (ctx) => remove(shape, ctx) },
    );
  }
  const statePath = '/v2/:env/:flow/:tenant/linkedConnectors/state';
  routes.push(
    {
      method: 'GET',
      path: statePath,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const id = connectorId(ctx);
        return ctx.store.connectorState(ctx.params.flow!, ctx.params.tenant!, id) ?? { bookmarks: {} };
      },
    },
    {
      method: 'PUT',
      path: statePath,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const id = connectorId(ctx);
        const state = asObject(asObject(ctx.body)?.state);
        if (!state) throw badRequest('Missing required field: state');
        ctx.store.setConnectorState(ctx.params.flow!, ctx.params.tenant!, id, state);
        return {};
      },
    },
    {
      method: 'DELETE',
      path: statePath,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const id = connectorId(ctx);
        ctx.store.setConnectorState(ctx.params.flow!, ctx.params.tenant!, id, undefined);
        return {};
      },
    },
  );
  return routes;
}
