/**
 * The app under test of `sample.bench.ts` and of `test/load`, in its own process so the load generator's
 * HTTP parsing does not share its event loop. Prints one JSON line `{ "url": ... }` once listening and, with
 * `BENCH_STATS=1`, one `{ "rss", "loopP99Ms", "loopMaxMs" }` line per second; exits on SIGTERM.
 * Not a bench suite itself (no `.bench.ts` suffix).
 */
import { createSecretKey } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Controller, Get, HttpCode, Module, Post, UseGuards } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { HotglueTenant } from '../../src/hotglue/index.js';
import { AppAuthGuard } from '../../src/sample/auth/index.js';
import { SampleTenantGuard, SampleUserThrottlerGuard } from '../../src/sample/hotglue/sample-guards.js';
import { createBenchSampleApp } from './bench-sample-app.js';

/** Same body shape and size as a token response, produced without any work. */
const BARE_BODY = {
  token: 'x'.repeat(444),
  tenantId: 'bench-tenant',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
};

@Controller('bench')
class BareController {
  @Get('bare')
  bare(): typeof BARE_BODY {
    return BARE_BODY;
  }

  /** The webhook bench's baseline: the same POST body through Nest's own JSON parser, nothing else. */
  @Post('bare')
  @HttpCode(200)
  barePost(): { received: true } {
    return { received: true };
  }
}

const authSecret = process.env.BENCH_AUTH_SECRET;
if (!authSecret) throw new Error('BENCH_AUTH_SECRET is required');

/**
 * The baseline the token route is held to: the host's own HS256 auth (the sample's guard with the sample's
 * JwtService settings) and nothing of ours, answering the same body.
 */
const authOnly = new AppAuthGuard(
  new JwtService({
    secret: createSecretKey(Buffer.from(authSecret, 'utf8')),
    verifyOptions: { algorithms: ['HS256'] },
  }),
);

/**
 * The token route taken apart, one guard at a time, each answering the same body: the auth-only baseline,
 * then the per-user throttler, then the tenant guard; `/hotglue/token` adds `getToken` on top.
 */
@Controller('bench')
class GuardStepsController {
  @Get('auth')
  @UseGuards(authOnly)
  auth(): typeof BARE_BODY {
    return BARE_BODY;
  }

  @Get('auth-throttler')
  @UseGuards(authOnly, SampleUserThrottlerGuard)
  authThrottler(): typeof BARE_BODY {
    return BARE_BODY;
  }

  @Get('auth-throttler-tenant')
  @UseGuards(authOnly, SampleUserThrottlerGuard, SampleTenantGuard)
  authThrottlerTenant(@HotglueTenant() tenantId: string): typeof BARE_BODY {
    return { ...BARE_BODY, tenantId };
  }
}

@Module({ controllers: [BareController, GuardStepsController] })
class BareModule {}
const { app, emulator } = await createBenchSampleApp(authSecret, {
  // The sample's window; each bench user stays far below the limit (load tests use the top of the range).
  rateLimit: { limit: Number(process.env.BENCH_RATE_LIMIT ?? 1000), ttlMs: 60_000 },
  // Set by webhooks.bench.ts: POST /hotglue/webhooks then verifies and processes its signed deliveries.
  webhookSecret: process.env.BENCH_WEBHOOK_SECRET,
  imports: [BareModule],
});
await app.listen(0, '127.0.0.1');
console.log(JSON.stringify({ url: (await app.getUrl()).replace('[::1]', '127.0.0.1') }));
if (process.env.BENCH_STATS === '1') {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  setInterval(() => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const stats = {
      rss: process.memoryUsage.rss(),
      loopP99Ms: ms(loop.percentile(99)),
      loopMaxMs: ms(loop.max),
    };
    console.log(JSON.stringify(stats));
    loop.reset();
  }, 1000).unref();
}
process.once('SIGTERM', () => {
  Promise.all([app.close(), emulator.close()]).finally(() => process.exit(0));
});
