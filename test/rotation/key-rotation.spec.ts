import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HotglueHealthIndicator } from '../../src/hotglue/health/index.js';
import {
  HotglueModule,
  type HotglueSigningKey,
  HotglueSigningKeyError,
  HotglueTokenService,
} from '../../src/hotglue/index.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { expectedFingerprint } from '../support/keys.js';
import { expectNoLeak, pemSecretForms } from '../support/leaks.js';
import { getHotglueSigningKeyToken } from '../support/library-internals.js';
import { MountedKeyFile, PlainKeyFile } from './key-files.js';

const ENV_ID = 'dev.example.hotglue.xyz';
const first = generateTestSigningKey('rotation-first');
const second = generateTestSigningKey('rotation-second');
const third = generateTestSigningKey('rotation-third');
/** Not a key, but shaped like a secret: it must never reach a log line or a health answer. */
const CANARY = 'hotglue-canary-not-a-key-7f3a9c1e5b7d9f1a3c5e7b9d1f3a5c7e';
/**
 * 5 MB of nothing but the base64 alphabet, starting with a canary: the text whose base64 check overflowed
 * V8's regex stack (a RangeError that rotation swallowed: no log line, health up).
 */
const HUGE_KEY = `hotglueCanaryNotAKey7f3a9c1e5b7d9f1a3c5e${'A'.repeat(5 * 1024 * 1024)}`;
const HUGE_CANARY = HUGE_KEY.slice(0, 40);

let api: Server;
let apiUrl: string;

beforeAll(async () => {
  // The health indicator probes the API URL: any answer counts as reachable.
  api = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

@Controller()
class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HotglueHealthIndicator) private readonly hotglue: HotglueHealthIndicator,
  ) {}
  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.hotglue.isHealthy('hotglue', { cacheMs: 0 })]);
  }
}

async function startApp(keyFile: string, logger: CapturingLogger) {
  @Module({
    imports: [
      TerminusModule,
      HotglueModule.forRoot({ envId: ENV_ID, signingKeyFile: keyFile, signingKeyFilePollMs: 50, apiUrl }),
    ],
    controllers: [HealthController],
    providers: [HotglueHealthIndicator],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), tokens: app.get(HotglueTokenService) };
}

/** `getToken` for many tenants, in waves, until stopped; counts every failed call. */
function hammer(tokens: HotglueTokenService) {
  let running = true;
  let calls = 0;
  const failures: unknown[] = [];
  const done = (async () => {
    for (let wave = 0; running; wave++) {
      const batch = Array.from({ length: 50 }, (_, i) =>
        tokens.getToken(`tenant-${(wave * 7 + i) % 200}`).then(
          () => calls++,
          (error: unknown) => failures.push(error),
        ),
      );
      await Promise.all(batch);
      // Cache hits resolve as microtasks: yield, as real requests arriving over I/O would, or the loop
      // would starve the timers (the key-file poller included).
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { calls, failures };
    },
  };
}

interface HealthDetails {
  keyFingerprint?: string;
  keyRotation?: { problem?: string };
}
interface HealthBody {
  details: { hotglue: HealthDetails };
  error?: { hotglue?: HealthDetails };
}

const healthOf = async (url: string) => {
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: (await response.json()) as HealthBody };
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('key rotation from HOTGLUE_SIGNING_KEY_FILE', () => {
  it('picks up a Kubernetes-style symlink swap under load with zero failed getToken calls', async () => {
    const file = new MountedKeyFile(first.privateKeyBase64);
    cleanups.push(() => file.remove());
    const logger = new CapturingLogger();
    const { app, url, tokens } = await startApp(file.path, logger);
    cleanups.push(() => app.close());
    const oldToken = await tokens.getToken('acme');
    expect(tokens.signingKey.fingerprint).toBe(expectedFingerprint(first.publicKey));

    const load = hammer(tokens);
    file.swap(second.privateKeyPem);
    await expect
      .poll(() => tokens.signingKey.fingerprint, { timeout: 10_000, interval: 20 })
      .toBe(expectedFingerprint(second.publicKey));
    // Keep the load running across the swap for a while longer.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { calls, failures } = await load.stop();
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(0);

    // Every cached token was dropped: the next getToken is a new token, signed with the new key.
    const newToken = await tokens.getToken('acme');
    expect(newToken.token).not.toBe(oldToken.token);
    await expect(tokens.verifyToken(newToken.token, { tenantId: 'acme' })).resolves.toMatchObject({
      tenantId: 'acme',
    });
    await expect(tokens.verifyToken(oldToken.token)).rejects.toMatchObject({ problem: 'signature' });
    // The injected signing key follows the rotation too.
    expect(app.get<HotglueSigningKey>(getHotglueSigningKeyToken()).fingerprint).toBe(
      expectedFingerprint(second.publicKey),
    );

    const rotated = logger.lines.filter((line) => line.includes('rotated'));
    expect(rotated).toHaveLength(1);
    expect(rotated[0]).toContain(expectedFingerprint(first.publicKey));
    expect(rotated[0]).toContain(expectedFingerprint(second.publicKey));
    const health = await healthOf(url);
    expect(health.status).toBe(200);
    expect(health.body.details.hotglue.keyFingerprint).toBe(expectedFingerprint(second.publicKey));
    expectNoLeak(
      logger.lines.join('\n'),
      [...pemSecretForms(first.privateKeyPem), ...pemSecretForms(second.privateKeyPem)],
      'log',
    );
  });

  it('keeps the last good key on a bad new file: one error naming the setting, health down, then recovers', async () => {
    const file = new PlainKeyFile(first.privateKeyBase64);
    cleanups.push(() => file.remove());
    const logger = new CapturingLogger();
    const { app, url, tokens } = await startApp(file.path, logger);
    cleanups.push(() => app.close());
    const before = await tokens.getToken('acme');

    file.write(CANARY);
    await expect.poll(async () => (await healthOf(url)).status, { timeout: 10_000, interval: 30 }).toBe(503);
    const health = await healthOf(url);
    expect(health.body.error?.hotglue).toMatchObject({
      keyFingerprint: expectedFingerprint(first.publicKey),
      keyRotation: {
        refused: true,
        setting: 'signingKeyFile (HOTGLUE_SIGNING_KEY_FILE)',
        problem: 'not-base64-or-pem',
      },
      reason: 'key-rotation-refused',
    });
    // Still signing, with the old key, and the cache was not dropped.
    expect((await tokens.getToken('acme')).token).toBe(before.token);
    expect(tokens.signingKey.fingerprint).toBe(expectedFingerprint(first.publicKey));
    // Give the poller several more rounds: the same bad content is reported once, not once per poll.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Terminus logs each failed check too; ours is the one line about the refused key.
    const errors = logger.lines.filter((line) => line.startsWith('error') && line.includes('signing key'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('HOTGLUE_SIGNING_KEY_FILE');
    expect(errors[0]).toContain(expectedFingerprint(first.publicKey));
    expectNoLeak(`${logger.lines.join('\n')}\n${JSON.stringify(health.body)}`, [CANARY], 'log and health');

    // A file that disappears is refused the same way (an unreadable file), without echoing the path.
    file.remove();
    await expect
      .poll(async () => (await healthOf(url)).body.error?.hotglue?.keyRotation?.problem, {
        timeout: 10_000,
        interval: 30,
      })
      .toBe('file-unreadable');
    expect(logger.lines.join('\n')).not.toContain(file.path);

    // A good key afterwards clears the problem.
    const again = new PlainKeyFile(third.privateKeyBase64);
    cleanups.push(() => again.remove());
    // Same path as the original file: recreate the directory's file there.
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(file.dir, { recursive: true });
    writeFileSync(file.path, third.privateKeyBase64);
    await expect
      .poll(() => tokens.signingKey.fingerprint, { timeout: 10_000, interval: 20 })
      .toBe(expectedFingerprint(third.publicKey));
    expect((await healthOf(url)).status).toBe(200);
  });

  it('stops watching on module destroy: no timer or directory watch is left behind', async () => {
    const file = new PlainKeyFile(first.privateKeyBase64);
    cleanups.push(() => file.remove());
    const intervals: NodeJS.Timeout[] = [];
    const realSetInterval = globalThis.setInterval;
    const spy = vi.spyOn(globalThis, 'setInterval').mockImplementation(((
      ...args: Parameters<typeof setInterval>
    ) => {
      const timer = realSetInterval(...args);
      intervals.push(timer);
      return timer;
    }) as typeof setInterval);
    let app: Awaited<ReturnType<typeof startApp>>['app'];
    try {
      ({ app } = await startApp(file.path, new CapturingLogger()));
    } finally {
      spy.mockRestore();
    }
    const poll = intervals.filter(
      (timer) => (timer as unknown as { _idleTimeout: number })._idleTimeout === 50,
    );
    expect(poll).toHaveLength(1);
    // Unref'd: the poller never keeps a process alive on its own.
    expect(poll[0]!.hasRef()).toBe(false);
    await app.close();
    expect((poll[0] as unknown as { _destroyed: boolean })._destroyed).toBe(true);
  });
});

describe('key files that fight back (a huge file, a FIFO): refused, recorded, logged once, health down', () => {
  /** Polls health until `problem` is reported; returns the body. */
  const refusedWith = async (url: string, problem: string) => {
    await expect
      .poll(async () => (await healthOf(url)).body.error?.hotglue?.keyRotation?.problem, {
        timeout: 10_000,
        interval: 30,
      })
      .toBe(problem);
    return healthOf(url);
  };
  const keyErrors = (logger: CapturingLogger) =>
    logger.lines.filter((line) => line.startsWith('error') && line.includes('signing key'));

  it('a 5 MB key file: too-large from its size, one error line, health down; a good key afterwards is picked up', async () => {
    const file = new PlainKeyFile(first.privateKeyBase64);
    cleanups.push(() => file.remove());
    const logger = new CapturingLogger();
    const { app, url, tokens } = await startApp(file.path, logger);
    cleanups.push(() => app.close());

    file.write(HUGE_KEY);
    const health = await refusedWith(url, 'too-large');
    expect(health.status).toBe(503);
    expect(health.body.error?.hotglue).toMatchObject({
      keyFingerprint: expectedFingerprint(first.publicKey),
      keyRotation: { refused: true, setting: 'signingKeyFile (HOTGLUE_SIGNING_KEY_FILE)' },
    });
    expect(tokens.signingKey.fingerprint).toBe(expectedFingerprint(first.publicKey));
    await new Promise((resolve) => setTimeout(resolve, 300)); // more polls: still one line
    expect(keyErrors(logger)).toHaveLength(1);
    expect(keyErrors(logger)[0]).toContain('HOTGLUE_SIGNING_KEY_FILE');
    expectNoLeak(
      `${logger.lines.join('\n')}\n${JSON.stringify(health.body)}`,
      [HUGE_CANARY, file.path],
      'log',
    );

    file.write(second.privateKeyBase64);
    await expect
      .poll(() => tokens.signingKey.fingerprint, { timeout: 10_000, interval: 20 })
      .toBe(expectedFingerprint(second.publicKey));
    expect((await healthOf(url)).status).toBe(200);
  });

  it('a FIFO in place of the key file: refused without blocking, one error line, health down; a good key afterwards is picked up', async () => {
    const file = new PlainKeyFile(first.privateKeyBase64);
    cleanups.push(() => file.remove());
    const logger = new CapturingLogger();
    const { app, url, tokens } = await startApp(file.path, logger);
    cleanups.push(() => app.close());

    rmSync(file.path);
    execFileSync('mkfifo', [file.path]);
    // Should a read block on it anyway, a writer that opens and closes the FIFO releases it.
    cleanups.push(() => releaseFifo(file.path));
    const health = await refusedWith(url, 'file-unreadable');
    expect(health.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(keyErrors(logger)).toHaveLength(1);
    expect(keyErrors(logger)[0]).toContain('not a regular file');
    expect(logger.lines.join('\n')).not.toContain(file.path);

    // Replace it as an operator would: a new file renamed over the FIFO.
    writeFileSync(`${file.path}.new`, second.privateKeyBase64);
    renameSync(`${file.path}.new`, file.path);
    await expect
      .poll(() => tokens.signingKey.fingerprint, { timeout: 10_000, interval: 20 })
      .toBe(expectedFingerprint(second.publicKey));
    expect((await healthOf(url)).status).toBe(200);
  });
});

/** Opens a FIFO for writing and closes it, so a reader blocked on it gets EOF (ENXIO: nobody reads it). */
function releaseFifo(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // not a FIFO any more, or nobody is reading it
  }
}

describe('HotglueTokenService.rotateSigningKey (keys from a secrets manager)', () => {
  it('validates like boot, swaps the key, drops cached tokens; a refused key changes nothing', async () => {
    const logger = new CapturingLogger();
    @Module({ imports: [HotglueModule.forRoot({ envId: ENV_ID, signingKey: first.privateKeyBase64 })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger, abortOnError: false });
    cleanups.push(() => app.close());
    const tokens = app.get(HotglueTokenService);
    const before = await tokens.getToken('acme');

    const refused = (() => {
      try {
        tokens.rotateSigningKey(CANARY);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(HotglueSigningKeyError);
    expect(String((refused as Error).message)).not.toContain(CANARY);
    expect(tokens.signingKey.fingerprint).toBe(expectedFingerprint(first.publicKey));
    expect((await tokens.getToken('acme')).token).toBe(before.token);
    const errors = logger.lines.filter((line) => line.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('rotateSigningKey(input)');
    expectNoLeak(logger.lines.join('\n'), [CANARY], 'log');

    const active = tokens.rotateSigningKey(second.privateKeyPem);
    expect(active.fingerprint).toBe(expectedFingerprint(second.publicKey));
    const after = await tokens.getToken('acme');
    expect(after.token).not.toBe(before.token);
    await expect(tokens.verifyToken(after.token)).resolves.toMatchObject({ tenantId: 'acme' });
    // Rotating to the active key again is a no-op: the cache stays.
    tokens.rotateSigningKey(second.privateKeyBase64);
    expect((await tokens.getToken('acme')).token).toBe(after.token);
  });

  it('a 5 MB key text: a typed too-large error naming the setting, one error line, nothing changes', async () => {
    const logger = new CapturingLogger();
    @Module({ imports: [HotglueModule.forRoot({ envId: ENV_ID, signingKey: first.privateKeyBase64 })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger, abortOnError: false });
    cleanups.push(() => app.close());
    const tokens = app.get(HotglueTokenService);
    let refused: unknown;
    try {
      tokens.rotateSigningKey(HUGE_KEY);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(HotglueSigningKeyError);
    expect((refused as HotglueSigningKeyError).problem).toBe('too-large');
    expect(tokens.signingKey.fingerprint).toBe(expectedFingerprint(first.publicKey));
    const errors = logger.lines.filter((line) => line.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('rotateSigningKey(input)');
    expectNoLeak(`${logger.lines.join('\n')}\n${(refused as Error).message}`, [HUGE_CANARY], 'log and error');
  });

  it('under concurrent getToken, a rotation causes zero failed calls and no old-key token is cached', async () => {
    @Module({ imports: [HotglueModule.forRoot({ envId: ENV_ID, signingKey: first.privateKeyBase64 })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    cleanups.push(() => app.close());
    const tokens = app.get(HotglueTokenService);
    const load = hammer(tokens);
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Rotate while signings are in flight (each wave has 50 concurrent calls).
    for (const key of [second, third, first, second]) {
      tokens.rotateSigningKey(key.privateKeyBase64);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { calls, failures } = await load.stop();
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(0);
    // Whatever was in flight during the last rotation, every cached token now verifies with the active key.
    for (let i = 0; i < 200; i++) {
      const token = await tokens.getToken(`tenant-${i}`);
      await expect(tokens.verifyToken(token.token)).resolves.toBeTruthy();
    }
  });
});
