import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../emulator-options.js';
import { type JobRecord, jobView } from '../emulator-store.js';
import { badRequest, notFound } from '../http-error.js';
import { jobRoot, newJobId } from '../job-lifecycle.js';
import { asObject, type RouteContext, type RouteDefinition } from './route.js';

/**
 * Stores a new job and returns its JSON. The request's fields are kept (overrides, env vars...), then the
 * server-owned fields are set over them so a body cannot forge `status` or `s3_root`.
 */
function runJob(ctx: RouteContext, v2: boolean): JsonObject {
  const flow = ctx.params.flow!;
  const tenant = ctx.params.tenant!;
  const body = asObject(ctx.body) ?? {};
  // The widget nests the name ({ job: { job_name } }); the docs put it at the top level. Accept both.
  const { job: nested, ...fields } = body;
  const jobName = asObject(nested)?.job_name ?? body.job_name;
  const extra: JsonObject = {};
  if (v2) {
    const connectorId = body.connector_id;
    const jobType = typeof body.job_type === 'string' ? body.job_type.toLowerCase() : undefined;
    if (typeof connectorId !== 'string' || connectorId === '') {
      throw badRequest('Missing required field: connector_id');
    }
    if (jobType !== 'read' && jobType !== 'write') {
      throw badRequest('Missing or invalid field: job_type (read or write)');
    }
    extra.connector_id = connectorId;
    extra.job_type = jobType.toUpperCase();
  }
  const tap = body.tap ?? (v2 ? extra.connector_id : ctx.store.linked('source', flow, tenant)[0]?.tap);
  const now = ctx.services.now();
  const createdAt = new Date(now);
  let jobId = newJobId();
  let s3Root = jobRoot(tenant, flow, createdAt, jobId);
  while (ctx.store.hasJobRoot(s3Root)) {
    jobId = newJobId();
    s3Root = jobRoot(tenant, flow, createdAt, jobId);
  }
  const job: JsonObject = {
    ...fields,
    ...extra,
    job_id: jobId,
    env_id: ctx.services.envId,
    flow_id: flow,
    job_name: typeof jobName === 'string' ? jobName : `${String(tap ?? 'job')}-${jobId}`,
    tenant,
    started_by: 'api',
    s3_root: s3Root,
    start_time: createdAt.toISOString(),
    state: asObject(body.state) ?? {},
    tap: tap ?? null,
    scheduled_job: false,
    message: '',
    processed_rows: 0,
    // Both of hotglue's example job webhooks carry the job's task as 32 hex characters and its kind
    // (https://docs.hotglue.com/docs/jobs-webhooks; docs/webhooks.md quotes them).
    task_id: randomUUID().replaceAll('-', ''),
    task_type: 'STANDARD',
  };
  // A V1 job run with a `state` leaves it as the source's incremental state (`GET linkedSources/state`) (inferred).
  const state = asObject(body.state);
  if (!v2 && state && typeof tap === 'string' && ctx.store.linkedOne('source', flow, tenant, tap)) {
    ctx.store.setSourceState(flow, tenant, tap, structuredClone(state));
  }
  const record: JobRecord = { job, flowId: flow, tenantId: tenant, s3Root, createdAt: now, notifiedStep: -1 };
  ctx.store.addJob(record);
  ctx.services.jobCreated(record);
  return view(ctx, record);
}

function view(ctx: RouteContext, record: JobRecord): JsonObject {
  return jobView(record, ctx.services.now(), ctx.services.jobStepMs);
}

/** Jobs of the path's (flow, tenant), newest first, filtered by `entity_id`; `count`/`limit` cap them (inferred). */
function listJobs(ctx: RouteContext): JsonObject[] {
  const entity = ctx.query.entity_id;
  const limit = Number(ctx.query.count ?? ctx.query.limit ?? Number.NaN);
  const jobs = ctx.store
    .jobs(ctx.params.flow!, ctx.params.tenant!)
    .filter((r) => entity === undefined || r.job.tap === entity || r.job.connector_id === entity)
    .map((r) => view(ctx, r));
  return Number.isInteger(limit) && limit >= 0 ? jobs.slice(0, limit) : jobs;
}

/** Jobs and schedules (see docs/hotglue-reference.md). */
export function jobRoutes(): RouteDefinition[] {
  const base = '/:env/:flow/:tenant/jobs';
  return [
    { method: 'POST', path: base, access: 'public', token: 'optional', handler: (ctx) => runJob(ctx, false) },
    {
      method: 'POST',
      path: `/v2${base}`,
      access: 'public',
      token: 'optional',
      handler: (ctx) => runJob(ctx, true),
    },
    { method: 'GET', path: base, access: 'public', token: 'optional', handler: listJobs },
    {
      method: 'GET',
      path: `${base}/latest`,
      access: 'public',
      token: 'optional',
      // `{}` when there is none: the widget stores the answer only when it has `flow_id`, and an error would
      // be just as silent but counts as a failed call (see docs/hotglue-reference.md).
      handler: (ctx) => listJobs(ctx)[0] ?? {},
    },
    {
      method: 'GET',
      path: `${base}/status`,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const root = ctx.query.job_root;
        if (!root) throw badRequest('Missing required query parameter: job_root');
        const record = ctx.store.jobByRoot(root);
        // A root of another tenant or flow is as unknown as a made-up one: no cross-tenant lookups.
        if (!record || record.tenantId !== ctx.params.tenant || record.flowId !== ctx.params.flow) {
          throw notFound('Job not found');
        }
        // As the docs' example shows it (https://docs.hotglue.com/api-reference/jobs/poll-job-status.md):
        // the flow id as `flow`, a string, and no `flow_id` (which the run-job answer carries instead).
        const { flow_id: _flowId, ...job } = view(ctx, record);
        return { ...job, flow: record.flowId };
      },
    },
    {
      method: 'GET',
      path: `${base}/schedule`,
      access: 'public',
      token: 'optional',
      // hotglue does not document the empty case: `{}` keeps "200 with JSON" true. The widget reads
      // `ScheduleExpression` and `State` (AWS EventBridge names); the stored request fields stay beside them.
      handler: (ctx) => {
        const saved = ctx.store.schedule(ctx.params.flow!, ctx.params.tenant!);
        if (!saved) return {};
        return { ...saved, ScheduleExpression: saved.schedule_expression, State: saved.state };
      },
    },
    {
      method: 'PUT',
      path: `${base}/schedule`,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const body = asObject(ctx.body);
        const expression = body?.schedule_expression;
        if (typeof expression !== 'string' || expression === '') {
          throw badRequest('Missing required field: schedule_expression');
        }
        // The API reference lists ENABLED / DISABLED (https://docs.hotglue.com/reference/jobs-schedule); the
        // scheduling guide writes "disabled" (https://docs.hotglue.com/docs/jobs-scheduling): either case is
        // accepted and kept upper case.
        const given = body!.state ?? 'ENABLED';
        const state = typeof given === 'string' ? given.toUpperCase() : given;
        if (state !== 'ENABLED' && state !== 'DISABLED')
          throw badRequest('state must be ENABLED or DISABLED');
        ctx.store.setSchedule(ctx.params.flow!, ctx.params.tenant!, { ...body, state });
        return {};
      },
    },
    {
      method: 'DELETE',
      path: `${base}/schedule`,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        ctx.store.setSchedule(ctx.params.flow!, ctx.params.tenant!, undefined);
        return {};
      },
    },
  ];
}
