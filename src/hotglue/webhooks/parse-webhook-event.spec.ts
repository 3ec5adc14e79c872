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
