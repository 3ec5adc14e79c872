import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { JsonObject } from '../emulator-options.js';
import { badRequest, notFound } from '../http-error.js';
import { asObject, type RouteContext, type RouteDefinition } from './route.js';

const CONNECT_TYPES = new Set(['all', 'flows', 'connectors']);

/**
 * The guide's `POST /{env}/connect` (https://docs.hotglue.com/connection-methods/magic-links):
 * validates like the guide describes and returns a hosted URL.
 */
function createMagicLink(ctx: RouteContext): JsonObject {
  const body = asObject(ctx.body);
  const tenant = body?.tenant;
  if (typeof tenant !== 'string' || tenant === '') throw badRequest('Missing required field: tenant');
  const type = body!.type ?? 'all';
  if (typeof type !== 'string' || !CONNECT_TYPES.has(type)) {
    throw badRequest('type must be one of all, flows, connectors');
  }
  checkLinkScope(body!, type);
  ctx.store.touchTenant(tenant);
  return { url: magicUrl(ctx) };
}

/** The guide's rule: `flows` and `connectors` need `flow`; `connectors` needs `entityId` too. */
function checkLinkScope(body: JsonObject, type: string): void {
  if ((type === 'flows' || type === 'connectors') && (typeof body.flow !== 'string' || body.flow === '')) {
    throw badRequest('Missing required field: flow');
  }
  if (type === 'connectors' && (typeof body.entityId !== 'string' || body.entityId === '')) {
    throw badRequest('Missing required field: entityId');
  }
}

/** An opaque link on the emulator itself; the emulator does not serve it. */
function magicUrl(ctx: RouteContext): string {
  return `${ctx.services.baseUrl}/magic-link/${randomBytes(12).toString('base64url')}`;
}

/**
 * The API reference's `POST /{env}/magicLink`
 * (https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md): every field nullable,
 * `expiresAt` a date-time, extra keys allowed; answers `{ url, expiresAt }` (`null` without one). `tenant`
 * is required as the guide says; `type` is any string, with the guide's `flow` / `entityId` rule for
 * `flows` and `connectors`.
 */
function createMagicLinkV2(ctx: RouteContext): JsonObject {
  const body = asObject(ctx.body);
  const tenant = body?.tenant;
  if (typeof tenant !== 'string' || tenant === '') throw badRequest('Missing required field: tenant');
  const type = body!.type ?? null;
  if (type !== null && typeof type !== 'string') throw badRequest('type must be a string or null');
  if (type !== null) checkLinkScope(body!, type);
  const expires = body!.expiresAt ?? null;
  let expiresAt: string | null = null;
  if (expires !== null) {
    const date = typeof expires === 'string' ? new Date(expires) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw badRequest('expiresAt must be a date-time string');
    expiresAt = date.toISOString();
  }
  if (body!.options !== undefined && body!.options !== null && !asObject(body!.options)) {
    throw badRequest('options must be an object');
  }
  ctx.store.touchTenant(tenant);
  return { url: magicUrl(ctx), expiresAt };
}

/**
 * `GET .../connectors/{connector_id}/accesstoken`: the linked connector's (or V1 source's or
 * target's: hotglue's SDK passes a tap or target id as `connector_id`) access token, refreshed first when it has expired on the emulator clock (see `EmulatedCredentials`), with
 * `include_properties` picking extra config fields; `expires_in` is the time left on the clock. A revoked
 * grant answers 400 "Failed OAuth login"; a link without an access token `{ success: false }` (inferred).
 */
function accessToken(ctx: RouteContext): JsonObject {
  const { flow, tenant, connectorId } = ctx.params as Required<typeof ctx.params>;
  const kind = (['connector', 'source', 'target'] as const).find((k) =>
    ctx.store.linkedOne(k, flow, tenant, connectorId),
  );
  const linked = kind && ctx.store.linkedOne(kind, flow, tenant, connectorId);
  if (!linked) throw notFound(`connector ${connectorId} is not linked for this tenant`);
  const stored = asObject(linked.config) ?? {};
  if (typeof stored.access_token !== 'string') return { success: false };
  const config = ctx.services.credentials.currentConfig({
    kind,
    flowId: flow,
    tenantId: tenant,
    name: connectorId,
    item: linked,
    config: stored,
  });
  const out: JsonObject = { success: true, access_token: config.access_token };
  for (const name of (ctx.query.include_properties ?? '').split(',')) {
    const property = name.trim();
    if (property === 'expires_in') {
      const left = ctx.services.credentials.expiresIn(config);
      if (left !== undefined) out.expires_in = left;
    } else if (property && property !== 'access_token' && config[property] !== undefined)
      out[property] = config[property];
  }
  return out;
}

/**
 * `POST .../connectors/{connector_id}/{stream}`: accepts one record and reports it written, in the
 * shape https://docs.hotglue.com/api-reference/real-time/write shows: `summary` inside `state`, `logs` a
 * string. `data` is "The object you want to post": an array is refused (400), as the client refuses it.
 */
function writeRecords(ctx: RouteContext): JsonObject {
  const body = asObject(ctx.body);
  const data = body?.data;
  if (data === undefined || data === null) throw badRequest('Missing required field: data');
  if (typeof data !== 'object' || Array.isArray(data)) throw badRequest('data must be a JSON object');
  const stream = ctx.params.stream!;
  const hash = createHash('sha256').update(JSON.stringify(data)).digest('hex');
  const jobId = randomBytes(6).toString('base64url');
  const taskId = randomUUID();
  const state = {
    bookmarks: { [stream]: [{ hash, success: true, id: `emu-${hash.slice(0, 12)}` }] },
    summary: { [stream]: { success: 1, fail: 0, existing: 0, updated: 0 } },
  };
  if (body!.async !== true) return { async: false, jobId, taskId, state, logs: '' };
  // Async: the outcome is kept for the poll route and ready one job step later on the emulator clock, so
  // a client's polling loop sees `has_data: false` first.
  const { flow, tenant } = ctx.params as Required<typeof ctx.params>;
  ctx.store.addWriteResult(flow, tenant, taskId, {
    result: { async: false, jobId, taskId, state, status_code: 200 },
    readyAt: ctx.services.now() + ctx.services.jobStepMs,
  });
  return { async: true, jobId, taskId, logs: '' };
}

/**
 * `GET .../connectors/status?taskId=` (https://docs.hotglue.com/api-reference/real-time/status):
 * `{ has_data: true, result }` once an async write of this (flow, tenant) is done; `{ has_data: false,
 * result: null }` before, and for a task id it does not know (inferred: hotglue documents only the ready case).
 */
function writeStatus(ctx: RouteContext): JsonObject {
  const taskId = ctx.query.taskId;
  if (!taskId) throw badRequest('Missing required query parameter: taskId');
  const record = ctx.store.writeResult(ctx.params.flow!, ctx.params.tenant!, taskId);
  if (!record || ctx.services.now() < record.readyAt) return { has_data: false, result: null };
  return { has_data: true, result: record.result };
}

/** Tenants, tenant config, magic links, access tokens, real-time writes and their poll. */
export function tenantRoutes(): RouteDefinition[] {
  return [
    {
      method: 'GET',
      path: '/tenants/:env',
      access: 'secret',
      token: 'optional',
      handler: (ctx) => {
        const filter = ctx.query.tenant;
        // A flat list of tenant id strings: what hotglue's own code reads from this route
        // (https://app.unpkg.com/@hotglue/cli@1.0.32/files/lib/helpers/api.js); no page shows the answer.
        return [...ctx.store.tenants.values()]
          .filter((tenant) => filter === undefined || tenant.id === filter)
          .map((tenant) => tenant.id);
      },
    },
    {
      method: 'GET',
      path: '/tenant/:env/:tenant/config',
      access: 'secret',
      token: 'optional',
      handler: (ctx) => {
        const config = ctx.store.tenants.get(ctx.params.tenant!)?.config;
        if (!config) throw notFound('There is no config for the tenant');
        return config;
      },
    },
    { method: 'POST', path: '/:env/connect', access: 'secret', token: 'optional', handler: createMagicLink },
    {
      method: 'POST',
      path: '/:env/magicLink',
      access: 'secret',
      token: 'optional',
      handler: createMagicLinkV2,
    },
    {
      method: 'GET',
      path: '/:env/:flow/:tenant/connectors/:connectorId/accesstoken',
      access: 'secret',
      token: 'optional',
      handler: accessToken,
    },
    {
      method: 'GET',
      path: '/:env/:flow/:tenant/connectors/status',
      access: 'public',
      token: 'required',
      handler: writeStatus,
    },
    {
      method: 'POST',
      path: '/:env/:flow/:tenant/connectors/:connectorId/:stream',
      access: 'secret',
      token: 'optional',
      handler: writeRecords,
    },
  ];
}
