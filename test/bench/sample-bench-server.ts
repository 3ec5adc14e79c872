/**
 * The app under test of `sample.bench.ts`, in its own process so the load generator's HTTP parsing does not
 * share its event loop. Prints one JSON line `{ "url": ... }` once listening; exits on SIGTERM.
 * Not a bench suite itself (no `.bench.ts` suffix).
 */
import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { createSampleApp } from '../../src/sample/create-sample-app.js';

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

@Module({ controllers: [BareController] })
class BareModule {}

const authSecret = process.env.BENCH_AUTH_SECRET;
if (!authSecret) throw new Error('BENCH_AUTH_SECRET is required');
const key = generateTestSigningKey('bench-sample');
const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKeyPem] });
const app = await createSampleApp(
  {
    authSecret,
    hotglue: { envId: emulator.envId, signingKey: key.privateKeyBase64, apiUrl: emulator.url },
    // The sample's default window; each bench user stays far below the limit.
    rateLimit: { limit: 1000, ttlMs: 60_000 },
    docs: false,
    // Set by webhooks.bench.ts: POST /hotglue/webhooks then verifies and processes its signed deliveries.
    webhookSecret: process.env.BENCH_WEBHOOK_SECRET,
    imports: [BareModule],
  },
  false,
);
await app.listen(0, '127.0.0.1');
console.log(JSON.stringify({ url: (await app.getUrl()).replace('[::1]', '127.0.0.1') }));
process.once('SIGTERM', () => {
  Promise.all([app.close(), emulator.close()]).finally(() => process.exit(0));
});
