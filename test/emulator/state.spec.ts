import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HotglueEmulator, JOB_STEPS, jobSteps } from '../../src/hotglue-testing/index.js';

/** hotglue's default job: no discover stage ("If job discovers enabled", docs.hotglue.com/docs/jobs-lifecycle). */
const STEPS = jobSteps(false);

import { call, fakeClock, pathOf } from './emulator-helpers.js';

/** State transitions: links, jobs on the emulator clock, schedules, and job webhooks. */
describe('HotglueEmulator state', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function start(options: ConstructorParameters<typeof HotglueEmulator>[0] = {}) {
    const emulator = await HotglueEmulator.start(options);
    cleanup.push(() => emulator.close());
    return emulator;
  }

  it('link then list; linkSource() at run time shows up too; flows/linked follows', async () => {
    const emulator = await start();
    const path = pathOf(emulator.envId, emulator.defaultFlowId, 't1', 'linkedSources');
    expect((await call(emulator, 'GET', path)).json).toEqual([]);
    await call(emulator, 'POST', path, { body: { source: { tap: 'hubspot' } } });
    emulator.linkSource(emulator.defaultFlowId, 't1', { tap: 'csv', note: 'seeded at run time' });
    const listed = (await call(emulator, 'GET', path)).json as Array<{ tap: string }>;
    expect(listed.map((s) => s.tap)).toEqual(['hubspot', 'csv']);
    const flows = await call(emulator, 'GET', pathOf(emulator.envId, 'flows', 'linked'), {
      query: { user_id: 't1' },
    });
    expect((flows.json as Array<{ id: string }>).map((f) => f.id)).toEqual([emulator.defaultFlowId]);
    // Another tenant sees nothing.
    const other = pathOf(emulator.envId, emulator.defaultFlowId, 't2', 'linkedSources');
    expect((await call(emulator, 'GET', other)).json).toEqual([]);
  });

  it('run-time seed helpers: linkTarget, linkConnector, setTenant, jobs()', async () => {
    const emulator = await start();
    emulator.linkTarget(undefined, 't1', { target: 'target-postgres', config: { host: 'db' } });
    emulator.linkConnector(undefined, 't1', { id: 'hubspot', config: { access_token: 'tok' } });
    emulator.setTenant('t1', { region: 'eu' });
    const targets = await call(
      emulator,
      'GET',
      pathOf(emulator.envId, emulator.defaultFlowId, 't1', 'linkedTargets'),
    );
    expect(targets.json).toEqual([
      expect.objectContaining({ target: 'target-postgres', label: 'PostgreSQL' }),
    ]);
    const connectors = pathOf('v2', emulator.envId, emulator.defaultV2FlowId, 't1', 'linkedConnectors');
    expect((await call(emulator, 'GET', connectors)).json).toEqual([
      expect.objectContaining({ id: 'hubspot' }),
    ]);
    const config = await call(emulator, 'GET', pathOf('tenant', emulator.envId, 't1', 'config'));
    expect(config.json).toEqual({ region: 'eu' });
    expect(emulator.jobs()).toEqual([]);
    await call(emulator, 'POST', pathOf(emulator.envId, emulator.defaultFlowId, 't1', 'jobs'), {});
    expect(emulator.jobs()).toEqual([expect.objectContaining({ tenant: 't1', status: 'JOB_CREATED' })]);
  });

  it('run then status until JOB_COMPLETED by advancing the clock, one status per second', async () => {
    const clock = fakeClock();
    const emulator = await start({ clock: clock.now });
    const jobs = pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'jobs');
    const run = (await call(emulator, 'POST', jobs, { body: { tap: 'salesforce' } })).json as {
      s3_root: string;
    };
    const seen: string[] = [];
    for (let i = 0; i < STEPS.length + 2; i++) {
      const status = await call(emulator, 'GET', `${jobs}/status`, { query: { job_root: run.s3_root } });
      seen.push((status.json as { status: string }).status);
      clock.advance(1000);
    }
    expect(seen).not.toContain('DISCOVER_STARTED');
    expect(seen).toEqual([...STEPS, 'JOB_COMPLETED', 'JOB_COMPLETED']);
    const latest = (await call(emulator, 'GET', `${jobs}/latest`)).json as {
      status: string;
      last_updated: string;
    };
    expect(latest.status).toBe('JOB_COMPLETED');
    expect(latest.last_updated).toBe(
      new Date(clock.now() - (STEPS.length + 2) * 1000 + (STEPS.length - 1) * 1000).toISOString(),
    );
  });

  it('jobDiscover adds DISCOVER_STARTED after JOB_CREATED; a flow setting overrides the option', async () => {
    const clock = fakeClock();
    const emulator = await start({
      clock: clock.now,
      jobDiscover: true,
      seed: {
        flows: [
          { id: 'withDisc', name: 'A' },
          { id: 'noDisc', name: 'B', jobDiscover: false },
        ],
      },
    });
    const statuses = async (flow: string) => {
      const jobs = pathOf(emulator.envId, flow, 'acme', 'jobs');
      const run = (await call(emulator, 'POST', jobs, {})).json as { s3_root: string };
      const seen: string[] = [];
      for (let i = 0; i < JOB_STEPS.length; i++) {
        const status = await call(emulator, 'GET', `${jobs}/status`, { query: { job_root: run.s3_root } });
        seen.push((status.json as { status: string }).status);
        clock.advance(1000);
      }
      return seen;
    };
    expect(await statuses('withDisc')).toEqual([...JOB_STEPS]);
    expect(await statuses('noDisc')).toEqual([...STEPS, 'JOB_COMPLETED']);
  });

  it('failJob refuses DISCOVER_FAILED on a job without a discover stage, and plays it on one with', async () => {
    const clock = fakeClock();
    const plain = await start({ clock: clock.now });
    const path = (e: HotglueEmulator) => pathOf(e.envId, e.defaultFlowId, 'acme', 'jobs');
    const run = (await call(plain, 'POST', path(plain), {})).json as { job_id: string };
    expect(() => plain.failJob(run.job_id, 'DISCOVER_FAILED')).toThrow(/jobDiscover/);
    const discovering = await start({ clock: clock.now, jobDiscover: true });
    const job = (await call(discovering, 'POST', path(discovering), {})).json as {
      s3_root: string;
      job_id: string;
    };
    discovering.failJob(job.job_id, 'DISCOVER_FAILED');
    clock.advance(60_000);
    const status = await call(discovering, 'GET', `${path(discovering)}/status`, {
      query: { job_root: job.s3_root },
    });
    expect((status.json as { status: string }).status).toBe('DISCOVER_FAILED');
  });

  it('failJob ends a running job in a *_FAILED status', async () => {
    const clock = fakeClock();
    const emulator = await start({ clock: clock.now });
    const jobs = pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'jobs');
    const run = (await call(emulator, 'POST', jobs, {})).json as { s3_root: string; job_id: string };
    emulator.failJob(run.job_id, 'SYNC_FAILED');
    clock.advance(60_000);
    const status = await call(emulator, 'GET', `${jobs}/status`, { query: { job_root: run.s3_root } });
    expect((status.json as { status: string }).status).toBe('SYNC_FAILED');
    expect(() => emulator.failJob(run.s3_root, 'ETL_FAILED')).toThrow();
  });

  it("a job root is only found under its own tenant's path", async () => {
    const emulator = await start();
    const jobs = (t: string) => pathOf(emulator.envId, emulator.defaultFlowId, t, 'jobs');
    const run = (await call(emulator, 'POST', jobs('a'), {})).json as { s3_root: string };
    const res = await call(emulator, 'GET', `${jobs('b')}/status`, { query: { job_root: run.s3_root } });
    expect(res.status).toBe(404);
  });

  it('webhooks: one POST per status change, X-Hub-Signature = hex HMAC-SHA1 of the raw body', async () => {
    const received: Array<{ raw: Buffer; headers: IncomingHttpHeaders }> = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ raw: Buffer.concat(chunks), headers: req.headers });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
    const secret = 'whsec_test_1';
    const clock = fakeClock();
    const emulator = await start({
      clock: clock.now,
      webhook: {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
        secret,
        subscriptions: ['jobs'],
      },
    });
    const jobs = pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'jobs');
    const run = (await call(emulator, 'POST', jobs, { body: { job_name: 'hooked' } })).json as {
      job_id: string;
    };
    await emulator.advanceJobs();
    clock.advance(3500); // three steps at once: each still gets its own POST
    await emulator.advanceJobs();
    clock.advance(10_000);
    await emulator.advanceJobs();
    await emulator.advanceJobs(); // nothing new: no duplicate POSTs

    const statuses = received.map((r) => (JSON.parse(r.raw.toString('utf8')) as { status: string }).status);
    expect(statuses).toEqual([...STEPS]);
    for (const { raw, headers } of received) {
      const expected = createHmac('sha1', secret).update(raw).digest();
      const given = Buffer.from(String(headers['x-hub-signature']), 'hex');
      expect(given.length).toBe(expected.length);
      expect(timingSafeEqual(given, expected)).toBe(true);
      expect(headers['content-type']).toBe('application/json');
      expect(JSON.parse(raw.toString('utf8'))).toMatchObject({ job_id: run.job_id, job_name: 'hooked' });
    }
  });

  it('webhooks without a secret carry no signature header', async () => {
    const headers: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      headers.push(req.headers);
      req.resume();
      req.on('end', () => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
    const emulator = await start({
      webhook: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    });
    await call(emulator, 'POST', pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'jobs'), {});
    await emulator.advanceJobs();
    expect(headers.length).toBeGreaterThanOrEqual(1);
    expect(headers[0]).not.toHaveProperty('x-hub-signature');
  });
  it('refuses a webhook URL that is not absolute http(s) at start, naming the option', async () => {
    await expect(HotglueEmulator.start({ webhook: { url: 'not a url' } })).rejects.toThrow(/webhook\.url/);
    await expect(HotglueEmulator.start({ webhook: { url: 'ftp://127.0.0.1/x' } })).rejects.toThrow(
      /webhook\.url/,
    );
  });

  it('keeps delivering and flushing after a receiver is unreachable (no poisoned chain)', async () => {
    // A port that was just free: nothing listens there, so every delivery fails with a connection error.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const lines: string[] = [];
    const emulator = await start({
      webhook: { url: `http://127.0.0.1:${port}/` },
      logger: (line) => lines.push(line),
    });
    for (const name of ['first', 'second']) {
      await call(emulator, 'POST', pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'jobs'), {
        body: { job_name: name },
      });
      await expect(emulator.advanceJobs()).resolves.toBeUndefined();
    }
    // Both jobs' JOB_CREATED deliveries were attempted (and failed), so the second was not stuck behind the first.
    expect(lines.filter((line) => /webhook JOB_CREATED job .* failed/.test(line))).toHaveLength(2);
  });
});
