import { describe, expect, it } from 'vitest';
import { HotglueConfigError } from '../hotglue.errors.js';
import { parseHotglueEvent } from './parse-webhook-event.js';
import { validateWebhookOptions } from './webhook-options.js';
import { signHotglueWebhook } from './webhook-signature.js';
import { subscriptionsOf, verifiedSubscriptions } from './webhook-subscriptions.js';
import { hotglueWebhooksOptionsFromEnv } from './webhooks.config.js';

const JOB = 'whsec-job-canary-0123456789abcdef';
const DISCOVER = 'whsec-discover-canary-0123456789';
const CONNECTION = 'whsec-connection-canary-01234567';

describe('verifiedSubscriptions', () => {
  const body = Buffer.from('{"job_id":"j"}');
  const secrets = { job: JOB, discover: DISCOVER, connection: CONNECTION };

  it('names exactly the subscriptions whose secret signed the bytes', () => {
    expect([...verifiedSubscriptions(secrets, body, signHotglueWebhook(JOB, body))]).toEqual(['job']);
    expect([...verifiedSubscriptions(secrets, body, signHotglueWebhook(CONNECTION, body))]).toEqual([
      'connection',
    ]);
    expect(verifiedSubscriptions(secrets, body, signHotglueWebhook('other', body)).size).toBe(0);
    expect(verifiedSubscriptions(secrets, body, undefined).size).toBe(0);
    expect(verifiedSubscriptions(secrets, body, [signHotglueWebhook(JOB, body)]).size).toBe(0);
  });

  it('a shared secret verifies every subscription it covers; an unset one verifies none', () => {
    const shared = { job: JOB, discover: JOB, connection: undefined };
    expect([...verifiedSubscriptions(shared, body, `sha1=${signHotglueWebhook(JOB, body)}`)]).toEqual([
      'job',
      'discover',
    ]);
    const none = { job: undefined, discover: undefined, connection: undefined };
    expect(verifiedSubscriptions(none, body, signHotglueWebhook(JOB, body)).size).toBe(0);
  });
});

describe('subscriptionsOf', () => {
  it('maps each event kind to its subscription; a job in its discover stage to job or discover', () => {
    const job = parseHotglueEvent({ job_id: 'j', flow_id: 'f', tenant: 't', status: 'SYNC_STARTED' });
    const jobDiscover = parseHotglueEvent({
      job_id: 'j',
      flow_id: 'f',
      tenant: 't',
      status: 'DISCOVER_FAILED',
    });
    const discover = parseHotglueEvent({ event: 'DISCOVER_SUCCESS', tenant: 't' });
    const link = parseHotglueEvent({
      event: 'LINKED_CONNECTOR_CREATED',
      flow_id: 'f',
      tenant: 't',
      connector_id: 'c',
    });
    expect(subscriptionsOf(job)).toEqual(['job']);
    expect(subscriptionsOf(jobDiscover)).toEqual(['job', 'discover']);
    expect(subscriptionsOf(discover)).toEqual(['discover']);
    expect(subscriptionsOf(link)).toEqual(['connection']);
    expect(subscriptionsOf(parseHotglueEvent({ hello: 1 }))).toEqual(['job', 'discover', 'connection']);
  });
});

describe('validateWebhookOptions: secrets', () => {
  it('each subscription takes secrets.<name>, else secret; blanks count as unset', () => {
    expect(validateWebhookOptions({ secret: JOB }).secrets).toEqual({
      job: JOB,
      discover: JOB,
      connection: JOB,
    });
    expect(
      validateWebhookOptions({ secret: JOB, secrets: { connection: CONNECTION, discover: '  ' } }).secrets,
    ).toEqual({
      job: JOB,
      discover: JOB,
      connection: CONNECTION,
    });
    expect(validateWebhookOptions({ secrets: { discover: DISCOVER } }).secrets).toEqual({
      job: undefined,
      discover: DISCOVER,
      connection: undefined,
    });
    expect(validateWebhookOptions({}).secrets).toEqual({
      job: undefined,
      discover: undefined,
      connection: undefined,
    });
  });

  it('refuses a bad secrets field with an error naming the field and its variable, never the value', () => {
    const bad = (secrets: unknown) => {
      try {
        validateWebhookOptions({ secrets: secrets as never });
      } catch (error) {
        expect(error).toBeInstanceOf(HotglueConfigError);
        return (error as HotglueConfigError).message;
      }
      throw new Error('accepted');
    };
    const typed = bad({ job: 12345678, connection: CONNECTION });
    expect(typed).toContain('webhooks.secrets.job (HOTGLUE_WEBHOOK_SECRET_JOB): must be a string.');
    expect(typed).not.toContain('12345678');
    expect(typed).not.toContain(CONNECTION);
    const extra = bad({ jobs: JOB });
    expect(extra).toContain('webhooks.secrets: allows only job, discover and connection.');
    expect(extra).not.toContain(JOB);
    expect(bad('just-a-string-secret')).toContain('webhooks.secrets: must be an object');
    expect(bad('just-a-string-secret')).not.toContain('just-a-string-secret');
  });
});

describe('hotglueWebhooksOptionsFromEnv: per-subscription variables', () => {
  it('reads HOTGLUE_WEBHOOK_SECRET_JOB / _DISCOVER / _CONNECTION beside HOTGLUE_WEBHOOK_SECRET', () => {
    expect(
      hotglueWebhooksOptionsFromEnv({
        HOTGLUE_WEBHOOK_SECRET: 'shared',
        HOTGLUE_WEBHOOK_SECRET_JOB: JOB,
        HOTGLUE_WEBHOOK_SECRET_CONNECTION: CONNECTION,
        HOTGLUE_WEBHOOK_SECRET_DISCOVER: ' ',
      }),
    ).toEqual({ secret: 'shared', secrets: { job: JOB, connection: CONNECTION } });
    expect(hotglueWebhooksOptionsFromEnv({ HOTGLUE_WEBHOOK_SECRET: 'shared' })).toEqual({ secret: 'shared' });
    expect(hotglueWebhooksOptionsFromEnv({})).toEqual({});
  });

  it('a named environment reads HOTGLUE_<NAME>_WEBHOOK_SECRET_<SUBSCRIPTION> and nothing unnamed', () => {
    expect(
      hotglueWebhooksOptionsFromEnv(
        {
          HOTGLUE_WEBHOOK_SECRET_JOB: 'unnamed-job',
          HOTGLUE_EU_WEBHOOK_SECRET_JOB: JOB,
          HOTGLUE_EU_WEBHOOK_SECRET_DISCOVER: DISCOVER,
        },
        'eu',
      ),
    ).toEqual({ environment: 'eu', secrets: { job: JOB, discover: DISCOVER } });
  });
});
