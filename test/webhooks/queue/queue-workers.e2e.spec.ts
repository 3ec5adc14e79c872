import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, TestRedisServer } from '../../support/redis-server.js';
import { CANARY_SECRET, sign } from '../webhook-harness.js';
import { waitFor } from './queue-harness.js';

interface Instance {
  readonly child: ChildProcess;
  readonly route: string;
  readonly output: () => string;
}

const PREFIX = '{workers-spec}';

/** Starts one app instance as a child process (so it can be killed for real) and waits for its URL. */
async function startInstance(redisUrl: string, name: string, extra: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./fixtures/queue-instance.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: PREFIX,
        INSTANCE: name,
        SPEC_SECRET: CANARY_SECRET,
        STALLED_MS: '1000',
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await waitFor(() => /LISTENING (\S+)/.test(text) || child.exitCode !== null, 60_000, `instance ${name}`);
  const url = /LISTENING (\S+)/.exec(text)?.[1];
  if (!url) throw new Error(`instance ${name} did not start:\n${text}`);
  return { child, route: `${url}/hotglue/webhooks`, output: () => text } satisfies Instance;
}

const body = (jobId: string) =>
  JSON.stringify({
    job_id: jobId,
    env_id: 'dev.example.hotglue.xyz',
    flow_id: 'flowA',
    tenant: 'tenant-1',
    s3_root: `tenant-1/flows/flowA/jobs/${jobId}`,
    status: 'JOB_COMPLETED',
    last_updated: new Date().toISOString(),
  });

async function deliver(instance: Instance, jobId: string): Promise<string> {
  const text = body(jobId);
  const answer = await fetch(instance.route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature': sign(text) },
    body: text,
  });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { id: string }).id;
}

describe.runIf(hasRedisServer())(
  'queue workers as separate processes (SIGTERM drains, SIGKILL hands over)',
  () => {
    let redis: TestRedisServer;
    let notes: Redis;
    const children: ChildProcess[] = [];
    const list = async (name: 'starts' | 'done') => notes.lrange(`${PREFIX}:${name}`, 0, -1);

    beforeAll(async () => {
      redis = await TestRedisServer.start();
      notes = new Redis(redis.url);
    });
    afterAll(async () => {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      notes?.disconnect();
      await redis?.destroy();
    });

    it('SIGTERM: running handlers finish, no new job is taken; SIGKILL mid-handler: the job runs again on another worker', async () => {
      // 1. SIGTERM while a 1.5 s handler runs: it ends, then the process exits; a delivery queued during the
      //    drain is not taken by the closing worker.
      const a = await startInstance(redis.url, 'a');
      children.push(a.child);
      const slow = await deliver(a, 'hold-1500-slow');
      await waitFor(async () => (await list('starts')).includes(`a|${slow}`), 15_000, 'the slow handler');
      const exited = once(a.child, 'exit');
      a.child.kill('SIGTERM');
      // Only once the process has begun its shutdown: a delivery that reaches it before the signal is
      // handled may rightly be taken, as by any running worker.
      await waitFor(() => a.output().includes('SHUTTING_DOWN'), 15_000, 'the shutdown to begin');
      const during = await deliver(a, 'hold-0-during-drain');
      const stopping = Date.now();
      await exited;
      expect(Date.now() - stopping).toBeLessThan(30_000);
      expect(await list('done')).toEqual([`a|${slow}`]);
      expect(await list('starts')).toEqual([`a|${slow}`]);

      // 2. A second instance takes the waiting delivery, then is killed with SIGKILL inside a long handler.
      const a2 = await startInstance(redis.url, 'a2');
      children.push(a2.child);
      await waitFor(
        async () => (await list('done')).includes(`a2|${during}`),
        15_000,
        'the waiting delivery',
      );
      const stuck = await deliver(a2, 'hold-60000-stuck');
      await waitFor(async () => (await list('starts')).includes(`a2|${stuck}`), 15_000, 'the long handler');
      a2.child.kill('SIGKILL');
      await once(a2.child, 'exit');

      // 3. Another worker runs it again, with the same delivery id, after the stalled interval (1 s here).
      const b = await startInstance(redis.url, 'b', { NO_HOLD: '1' });
      children.push(b.child);
      await waitFor(
        async () => (await list('done')).includes(`b|${stuck}`),
        20_000,
        'the stalled job elsewhere',
      ).catch(async (error) => {
        console.log('DEBUG', await list('starts'), await list('done'), b.output(), await notes.keys('*'));
        throw error;
      });
      const done = await list('done');
      expect(done.filter((entry) => entry.endsWith(stuck))).toEqual([`b|${stuck}`]);
      expect(done.filter((entry) => entry.endsWith(during))).toEqual([`a2|${during}`]);
      b.child.kill('SIGTERM');
      await once(b.child, 'exit');
    }, 120_000);
  },
);
