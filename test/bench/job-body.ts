import { createHmac, randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';

/** A Job object shaped and sized like hotglue's (about 700 bytes), unique per `n`. */
export function jobBody(n: number): string {
  return JSON.stringify({
    job_id: `b${n.toString(36)}`,
    env_id: 'dev.bench.hotglue.xyz',
    flow_id: 'benchFlow1',
    job_name: `salesforce-b${n.toString(36)}`,
    tenant: `tenant-${n % 100}`,
    started_by: 'api',
    s3_root: `tenant-${n % 100}/flows/benchFlow1/jobs/2026/11/5/30/03/b${n.toString(36)}`,
    start_time: new Date().toISOString(),
    state: { bookmarks: { Account: { replication_key_value: '2026-11-29T00:00:00Z' } } },
    tap: 'salesforce',
    target: 'target-postgres',
    connector_id: null,
    job_type: 'READ',
    status: 'SYNC_SUCCESS',
    scheduled_job: false,
    sync_type: 'incremental_sync',
    task_id: randomBytes(8).toString('hex'),
    task_type: 'sync',
    message: '',
    processed_rows: n % 5000,
    last_updated: new Date().toISOString(),
  });
}

/**
 * An autocannon request as hotglue delivers a webhook: `body` POSTed as JSON with its HMAC-SHA1 in
 * `x-hub-signature`, signed with `secret`.
 */
export function signedDelivery(
  request: autocannon.Request,
  body: string,
  secret: string,
): autocannon.Request {
  const signature = createHmac('sha1', secret).update(body).digest('hex');
  return {
    ...request,
    method: 'POST',
    body,
    headers: { ...request.headers, 'content-type': 'application/json', 'x-hub-signature': signature },
  };
}
