/**
 * The token route's own work, in-process and without HTTP, for `sample.bench.ts`: the sample's real guard
 * and controller instances called directly on a fresh request object each time, the host's HS256 auth
 * guard alone against the auth guard plus everything of ours (per-user throttler, tenant guard, the
 * controller's `getToken` and body). Nothing but these calls runs, so the figures move far less than the
 * HTTP ones on a shared machine. Nest's dispatch between the calls (a loop step per guard, the
 * `@HotglueTenant()` lookup, one more promise to settle) is not included.
 *
 * What ours costs here, added to the auth-only route's CPU per request over HTTP, estimates the token
 * route's CPU per request without the drift that moves two separately measured HTTP routes apart (an A/A
 * run of one route against a copy of itself gave 1.07x).
 */
import type { CanActivate } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { HOTGLUE_TENANT_REQUEST_KEY } from '../../src/hotglue/guards/hotglue-tenant.guard.js';
import { AppAuthGuard } from '../../src/sample/auth/index.js';
import { HotglueTokenController } from '../../src/sample/hotglue/hotglue-token.controller.js';
import { SampleTenantGuard, SampleUserThrottlerGuard } from '../../src/sample/hotglue/sample-guards.js';
import { createBenchSampleApp } from './bench-sample-app.js';
import { median } from './measure.js';

/** Microseconds per request of each side, per round, alternating which side goes first. */
export interface InProcessCost {
  readonly authUs: number;
  readonly authAndOursUs: number;
}

const ROUNDS = 8;
const REQUESTS_PER_ROUND = 20_000;

export async function measureInProcess(
  authSecret: string,
  bearers: readonly string[],
): Promise<InProcessCost> {
  const { app, emulator } = await createBenchSampleApp(authSecret, {
    rateLimit: { limit: 1_000_000, ttlMs: 60_000 },
  });
  try {
    await app.init();
    const auth = app.get(AppAuthGuard);
    const throttler = app.get<CanActivate>(SampleUserThrottlerGuard, { strict: false });
    const tenant = app.get<CanActivate>(SampleTenantGuard, { strict: false });
    const controller = app.get(HotglueTokenController);
    const handler = HotglueTokenController.prototype.token;
    const response = { header: () => undefined, setHeader: () => undefined };
    let next = 0;
    const contextOf = () => {
      const request = {
        headers: { authorization: `Bearer ${bearers[next++ % bearers.length]}` },
        url: '/hotglue/token',
        originalUrl: '/hotglue/token',
        ip: '127.0.0.1',
      };
      return {
        request,
        context: new ExecutionContextHost([request, response], HotglueTokenController, handler),
      };
    };

    const authOnly = async (n: number) => {
      for (let i = 0; i < n; i++) auth.canActivate(contextOf().context);
    };
    const authAndOurs = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const { request, context } = contextOf();
        auth.canActivate(context);
        // Synchronous on the sample's storage; awaited anyway, as Nest would a promise.
        const allowed = throttler.canActivate(context);
        if (allowed !== true && !(await allowed)) throw new Error('throttled in the bench');
        tenant.canActivate(context);
        await controller.token(
          (request as { [HOTGLUE_TENANT_REQUEST_KEY]?: string })[HOTGLUE_TENANT_REQUEST_KEY]!,
        );
      }
    };
    const timed = async (run: (n: number) => Promise<void>) => {
      const started = performance.now();
      await run(REQUESTS_PER_ROUND);
      return ((performance.now() - started) * 1000) / REQUESTS_PER_ROUND;
    };

    await authOnly(REQUESTS_PER_ROUND);
    await authAndOurs(REQUESTS_PER_ROUND);
    const authUs: number[] = [];
    const bothUs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        authUs.push(await timed(authOnly));
        bothUs.push(await timed(authAndOurs));
      } else {
        bothUs.push(await timed(authAndOurs));
        authUs.push(await timed(authOnly));
      }
    }
    return { authUs: median(authUs), authAndOursUs: median(bothUs) };
  } finally {
    await app.close();
    await emulator.close();
  }
}
