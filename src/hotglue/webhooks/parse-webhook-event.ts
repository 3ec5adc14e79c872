import type {
  HotglueConnectionAction,
  HotglueDiscoverStatus,
  HotglueLinkedEntity,
  HotglueWebhookEvent,
} from './webhook-events.js';

type Json = Record<string, unknown>;

const DISCOVER = new Set<string>(['DISCOVER_STARTED', 'DISCOVER_SUCCESS', 'DISCOVER_FAILED']);
/** `LINKED_SOURCE_CREATED`, `linkedSource.created`, `linked_connector_removed`, ... */
const CONNECTION =
  /^linked[_ .-]?(source|target|connector)s?[_ .-]?(created|updated|overwritten|removed|deleted)$/i;
const ACTIONS: Readonly<Record<string, HotglueConnectionAction>> = {
  created: 'created',
  updated: 'updated',
  overwritten: 'updated',
  removed: 'removed',
  deleted: 'removed',
};
/**
 * An entity named on its own (`linkedSource`, `linked_targets`, `connector`, `tap`...), for bodies that carry
 * the entity and the action in separate fields. hotglue's connection example body is not in any copy of its
 * page we could read, so both spellings are accepted.
 */
const ENTITY_NAME = /^(?:linked[_ .-]?)?(source|target|connector|tap)s?$/i;
/** Fields that may name the entity, and the action, when they are separate (in the order tried). */
const ENTITY_FIELDS = ['entity', 'entity_type', 'entityType', 'type', 'event', 'kind'] as const;
const ACTION_FIELDS = ['action', 'event', 'operation', 'status', 'type'] as const;
/** Where the entity id sits, per entity kind, in the order tried. */
const ENTITY_ID_FIELDS: Readonly<Record<HotglueLinkedEntity, readonly string[]>> = {
  source: ['tap', 'entity_id', 'id'],
  target: ['target', 'entity_id', 'id'],
  connector: ['connector_id', 'entity_id', 'id'],
};
/** Optional Job fields copied onto a job event: wire name, event name. */
const JOB_OPTIONAL = [
  ['env_id', 'envId'],
  ['s3_root', 's3Root'],
  ['job_name', 'jobName'],
  ['tap', 'tap'],
  ['target', 'target'],
  ['connector_id', 'connectorId'],
] as const;
/** The event's own time, most specific first. */
const TIME_FIELDS = ['last_updated', 'timestamp', 'updated_at', 'created_at', 'time'] as const;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function first(body: Json, fields: readonly string[]): string | undefined {
  for (const field of fields) {
    const value = text(body[field]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The event time as a Date, or undefined when absent or unparseable (then the replay window cannot judge it). */
export function eventTime(body: Json): Date | undefined {
  for (const field of TIME_FIELDS) {
    const value = body[field];
    const date =
      typeof value === 'string'
        ? new Date(value)
        : typeof value === 'number'
          ? new Date(value < 1e12 ? value * 1000 : value) // seconds or milliseconds since the epoch
          : undefined;
    if (date && !Number.isNaN(date.getTime())) return date;
  }
  return undefined;
}

/** A copy without any `config` (top level or one level down): it holds the tenant's credentials. */
function withoutConfig(body: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    // `out[key] =` with key `__proto__` would set out's prototype: never copy one.
    if (key === 'config' || key === '__proto__') continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'config' in value) {
      const { config: _config, ...rest } = value as Json;
      out[key] = rest;
    } else out[key] = value;
  }
  return out;
}

/**
 * Pure: the typed event of a signed JSON object. A body with `job_id` and `status` is a job event (its
 * `status` may itself be `DISCOVER_STARTED`: the job's discover stage); a `DISCOVER_*` name in `event`,
 * `type` or `status` without a job id is a discover event; a `linked{Source,Target,Connector}` event
 * name is a connection event. Anything else, or a recognised shape missing a required field, is `unknown`.
 */
export function parseHotglueEvent(body: Record<string, unknown>): HotglueWebhookEvent {
  const occurredAt = eventTime(body);
  const base = occurredAt ? { occurredAt } : {};
  const tenantId = first(body, ['tenant', 'tenant_id']);
  const flowId = first(body, ['flow_id', 'flow']);

  const jobId = text(body.job_id);
  const status = text(body.status);
  if (jobId !== undefined && status !== undefined) {
    if (tenantId === undefined || flowId === undefined) return { kind: 'unknown', raw: body, ...base };
    const event: Record<string, unknown> = {
      kind: 'job',
      raw: body,
      ...base,
      jobId,
      flowId,
      tenantId,
      status,
    };
    // Plain assignments, not entries/filter/fromEntries: this runs on every delivery.
    for (const [field, name] of JOB_OPTIONAL) {
      const value = text(body[field]);
      if (value !== undefined) event[name] = value;
    }
    return event as unknown as HotglueWebhookEvent;
  }

  const name = first(body, ['event', 'type', 'status', 'action']);
  if (name !== undefined && DISCOVER.has(name.toUpperCase())) {
    const entityId = first(body, ['tap', 'connector_id', 'entity_id']);
    return {
      kind: 'discover',
      raw: body,
      ...base,
      status: name.toUpperCase() as HotglueDiscoverStatus,
      ...(tenantId !== undefined ? { tenantId } : {}),
      ...(flowId !== undefined ? { flowId } : {}),
      ...(entityId !== undefined ? { entityId } : {}),
    };
  }

  const connection = connectionOf(body, name);
  if (connection) {
    const { entity, action } = connection;
    const entityId = first(body, ENTITY_ID_FIELDS[entity]);
    const raw = withoutConfig(body);
    if (tenantId === undefined || flowId === undefined || entityId === undefined) {
      return { kind: 'unknown', raw, ...base };
    }
    return { kind: 'connection', raw, ...base, action, entity, entityId, tenantId, flowId };
  }
  return { kind: 'unknown', raw: body, ...base };
}

/**
 * The entity and action of a connection event: from one name (`LINKED_SOURCE_CREATED`,
 * `linkedSource.created`) or from two fields (`{ entity: 'linkedSource', action: 'created' }`,
 * `{ type: 'connector', event: 'removed' }`). `undefined` when neither reads as one.
 */
function connectionOf(
  body: Json,
  name: string | undefined,
): { entity: HotglueLinkedEntity; action: HotglueConnectionAction } | undefined {
  const combined = name === undefined ? null : CONNECTION.exec(name);
  if (combined) {
    return {
      entity: combined[1]!.toLowerCase() as HotglueLinkedEntity,
      action: ACTIONS[combined[2]!.toLowerCase()]!,
    };
  }
  for (const entityField of ENTITY_FIELDS) {
    const entityName = ENTITY_NAME.exec(text(body[entityField]) ?? '')?.[1]?.toLowerCase();
    if (entityName === undefined) continue;
    for (const actionField of ACTION_FIELDS) {
      if (actionField === entityField) continue;
      const actionName = text(body[actionField])?.toLowerCase();
      // Own keys only: `constructor` or `__proto__` must not read as an action.
      if (actionName === undefined || !Object.hasOwn(ACTIONS, actionName)) continue;
      const entity = (entityName === 'tap' ? 'source' : entityName) as HotglueLinkedEntity;
      return { entity, action: ACTIONS[actionName]! };
    }
  }
  return undefined;
}
