import { describe, expect, it } from 'vitest';
import { parseHotglueEvent } from './parse-webhook-event.js';

describe('parseHotglueEvent', () => {
  it('reads a Job object as a job event, its DISCOVER_STARTED status included', () => {
    const event = parseHotglueEvent({
      job_id: 'j1',
      flow_id: 'f',
      tenant: 't',
      status: 'DISCOVER_STARTED',
      s3_root: 't/flows/f/jobs/x',
      tap: 'salesforce',
      last_updated: '2026-11-30T03:00:00.000Z',
    });
    expect(event).toMatchObject({
      kind: 'job',
      jobId: 'j1',
      flowId: 'f',
      tenantId: 't',
      status: 'DISCOVER_STARTED',
      tap: 'salesforce',
    });
    expect(event.occurredAt?.toISOString()).toBe('2026-11-30T03:00:00.000Z');
  });

  it('reads discover events from event, type or status', () => {
    expect(
      parseHotglueEvent({ event: 'DISCOVER_SUCCESS', tenant: 't', flow_id: 'f', tap: 'hubspot' }),
    ).toMatchObject({
      kind: 'discover',
      status: 'DISCOVER_SUCCESS',
      tenantId: 't',
      flowId: 'f',
      entityId: 'hubspot',
    });
    expect(parseHotglueEvent({ type: 'discover_failed' })).toMatchObject({
      kind: 'discover',
      status: 'DISCOVER_FAILED',
    });
  });

  it.each([
    [{ entity: 'linkedSource', action: 'created', tap: 'my-tap' }, 'source', 'created', 'my-tap'],
    [{ entity_type: 'linked_targets', action: 'OVERWRITTEN', target: 'csv' }, 'target', 'updated', 'csv'],
    [{ type: 'connector', event: 'removed', connector_id: 'hubspot' }, 'connector', 'removed', 'hubspot'],
    [{ entityType: 'taps', operation: 'deleted', entity_id: 'sf' }, 'source', 'removed', 'sf'],
  ])(
    'reads a connection event whose entity and action are separate fields: %j',
    (fields, entity, action, id) => {
      const body = { ...fields, tenant: 't', flow_id: 'f', config: { access_token: 'secret-CANARY' } };
      const event = parseHotglueEvent(body);
      expect(event).toMatchObject({ kind: 'connection', entity, action, entityId: id, tenantId: 't' });
      // raw is kept, without the credentials of `config`.
      expect(event.raw).toMatchObject(fields);
      expect(JSON.stringify(event)).not.toContain('secret-CANARY');
    },
  );

  it('separate fields that name no entity or no action stay unknown', () => {
    for (const fields of [
      { entity: 'linkedSource', action: 'constructor' },
      { entity: 'flow', action: 'created' },
      { entity: 'source' },
    ]) {
      expect(parseHotglueEvent({ ...fields, tenant: 't', flow_id: 'f', tap: 'x' }).kind).toBe('unknown');
    }
  });

  it('reads connection events for sources, targets and connectors, without config', () => {
    const source = parseHotglueEvent({
      event: 'LINKED_SOURCE_CREATED',
      tenant: 't',
      flow_id: 'f',
      tap: 'my-tap',
      config: { access_token: 'secret' },
      source: { tap: 'my-tap', config: { refresh_token: 'secret' } },
    });
    expect(source).toMatchObject({
      kind: 'connection',
      action: 'created',
      entity: 'source',
      entityId: 'my-tap',
      tenantId: 't',
      flowId: 'f',
    });
    expect(JSON.stringify(source)).not.toContain('secret');
    expect(
      parseHotglueEvent({
        event: 'linkedTarget.overwritten',
        tenant: 't',
        flow_id: 'f',
        target: 'target-csv',
      }),
    ).toMatchObject({
      action: 'updated',
      entity: 'target',
      entityId: 'target-csv',
    });
    expect(
      parseHotglueEvent({ event: 'linked_connector_deleted', tenant: 't', flow_id: 'f', connector_id: 'c1' }),
    ).toMatchObject({
      action: 'removed',
      entity: 'connector',
      entityId: 'c1',
    });
  });

  it('keeps unknown shapes and incomplete known ones as unknown', () => {
    expect(parseHotglueEvent({ hello: 1 })).toMatchObject({ kind: 'unknown', raw: { hello: 1 } });
    expect(parseHotglueEvent({ job_id: 'j', status: 'JOB_CREATED' }).kind).toBe('unknown');
    const noTenant = parseHotglueEvent({
      event: 'LINKED_SOURCE_REMOVED',
      flow_id: 'f',
      tap: 'x',
      config: { a: 'secret' },
    });
    expect(noTenant.kind).toBe('unknown');
    expect(JSON.stringify(noTenant)).not.toContain('secret');
  });

  it('reads epoch seconds and milliseconds and ignores unparseable times', () => {
    expect(parseHotglueEvent({ timestamp: 1_700_000_000 }).occurredAt?.getTime()).toBe(1_700_000_000_000);
    expect(parseHotglueEvent({ timestamp: 1_700_000_000_123 }).occurredAt?.getTime()).toBe(1_700_000_000_123);
    expect(parseHotglueEvent({ timestamp: 'yesterday' }).occurredAt).toBeUndefined();
  });
});

/**
 * hotglue's own example payloads, exactly as its docs print them (docs/webhooks.md quotes them). The discover
 * and connection subscriptions have "Example Payload" blocks too, but no stored copy of those pages kept their
 * JSON, so those shapes stay unverified and the parser reads them tolerantly (see the specs above).
 */
describe("parseHotglueEvent on hotglue's documented example payloads", () => {
  // https://docs.hotglue.com/docs/jobs-webhooks (older copy) and https://docs.hotglue.com/environment-settings/webhooks
  const olderJobExample = {
    job_id: '16FzN',
    env_id: 'dev.dummy.hotglue.xyz',
    flow_id: 'l8odS2mce',
    job_name: 'test_job:kr8J8ks-u',
    tenant: 'default',
    started_by: 'default',
    s3_root: 'default/flows/l8odS2mce/jobs/16FzN',
    start_time: '2020-12-30T20:29:21.614299+00:00',
    state: {},
    tap: 'quickbooks:sandbox',
    status: 'JOB_COMPLETED',
    task_id: 'dab752626e3944db960b7c9cc9ab3a25',
    last_updated: '2020-12-30T20:31:00.081282+00:00',
  };
  // https://docs.hotglue.com/docs/jobs-webhooks (current copy, "1. Job Lifecycle Webhook"); the stored copy
  // is cut inside "metrics", so the payload ends at the last complete field.
  const currentJobExample = {
    job_id: 'tVN_B',
    env_id: 'dev.hotglue.com',
    flow_id: 'JClkCC05S',
    job_name: 'test_job:KWjsnRTyp',
    tenant: '1414_1',
    started_by: '1414_1',
    s3_root: '1414_1/flows/JClkCC05S/jobs/2024/10/1/06/05/tVN_B',
    start_time: '2024-10-06T20:14:59.957270+00:00',
    state: {},
    tap: 'salesforce',
    target: 'bigquery',
    connector_id: null,
    job_type: null,
    status: 'JOB_COMPLETED',
    scheduled_job: true,
    sync_type: 'full_sync',
    override_start_date: null,
    override_end_date: null,
    override_field_map: null,
    override_source_config: null,
    override_target_config: null,
    override_lifecycle_webhook: null,
    task_id: '3430414a60df4efdb9aa7d7abaf877fc',
    task_type: 'STANDARD',
    task_definition: { id: 'hotglue-executor-v2:4', memory: 32768, cpu: 8192 },
    discover_install_uri: 'git+https://github.com/hotgluexyz/tap-salesforce.git@v1.0.12',
  };

  it('reads the older job example (16FzN) as a job event with its time', () => {
    const event = parseHotglueEvent(JSON.parse(JSON.stringify(olderJobExample)));
    expect(event).toEqual({
      kind: 'job',
      raw: olderJobExample,
      occurredAt: new Date('2020-12-30T20:31:00.081Z'),
      jobId: '16FzN',
      flowId: 'l8odS2mce',
      tenantId: 'default',
      status: 'JOB_COMPLETED',
      envId: 'dev.dummy.hotglue.xyz',
      s3Root: 'default/flows/l8odS2mce/jobs/16FzN',
      jobName: 'test_job:kr8J8ks-u',
      tap: 'quickbooks:sandbox',
    });
  });

  it('reads the current job example (tVN_B) as a job event; its null connector_id is not an id', () => {
    const event = parseHotglueEvent(JSON.parse(JSON.stringify(currentJobExample)));
    expect(event).toEqual({
      kind: 'job',
      raw: currentJobExample,
      jobId: 'tVN_B',
      flowId: 'JClkCC05S',
      tenantId: '1414_1',
      status: 'JOB_COMPLETED',
      envId: 'dev.hotglue.com',
      s3Root: '1414_1/flows/JClkCC05S/jobs/2024/10/1/06/05/tVN_B',
      jobName: 'test_job:KWjsnRTyp',
      tap: 'salesforce',
      target: 'bigquery',
    });
    // No last_updated in what the docs show: start_time is when the job began, not when this status came,
    // so it must not judge the replay window (a 25 h job's JOB_COMPLETED would read as a stale replay).
    expect(event.occurredAt).toBeUndefined();
  });
});
