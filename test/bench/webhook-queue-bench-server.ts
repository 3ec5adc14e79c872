/**
 * The app under test of `webhook-queue.bench.ts`, in its own process: `POST /hotglue/webhooks` in queue mode
 * and `POST /bench/bare-set` (Nest's JSON parser, then one Redis SET of the body: the floor of "persist,
 * then answer"), both on the Redis at BENCH_REDIS_URL. BENCH_WORKER=1 also runs a worker with a no-op
 * handler. Prints `{ "url": ... }` once listening; exits on SIGTERM. Not a bench suite itself.
 *
 * The library is the built package (dist/, `npm run build`), as users run it: through tsx the source would
 * pay for helpers users never run (esbuild's `__name` on every closure made per request).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

const require = createRequire(import.meta.url);
const built = fileURLToPath(new URL('../../dist/cjs/hotglue/index.js', import.meta.url));
if (!existsSync(built)) throw new Error('webhook-queue bench: run `npm run build` first (it runs dist/)');
// Nest by `require`, as dist/cjs requires it: an ESM import through tsx would load a second @nestjs/core,
// and the library's providers would not resolve against this app's.
const { Body, Controller, HttpCode, Inject, Injectable, Module, Post } =
  require('@nestjs/common') as typeof import('@nestjs/common');
const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
const { ExpressAdapter } = require('@nestjs/platform-express') as typeof import('@nestjs/platform-express');
const { HotglueWebhooksModule, OnHotglueEvent } = require(
  built,
) as typeof import('../../src/hotglue/index.js');

const env = process.env;
const REDIS = Symbol('redis');
const redis = new Redis(env.BENCH_REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
await new Promise((resolve) => redis.once('ready', resolve));

@Controller('bench')
class BareSetController {
  constructor(@Inject(REDIS) private readonly client: Redis) {}

  @Post('bare-set')
  @HttpCode(200)
  async bareSet(@Body() body: { job_id?: string }): Promise<{ received: true }> {
    await this.client.set(
      `bench:bare:${body.job_id ?? randomBytes(6).toString('hex')}`,
      JSON.stringify(body),
    );
    return { received: true };
  }
}

@Injectable()
class NoopHandler {
  @OnHotglueEvent('*')
  handle(): void {}
}

@Module({
  imports: [
    HotglueWebhooksModule.forRoot({
      secret: env.BENCH_WEBHOOK_SECRET,
      queue: {
        connection: env.BENCH_REDIS_URL!,
        worker: env.BENCH_WORKER === '1',
        concurrency: Number(env.BENCH_CONCURRENCY ?? 8),
      },
    }),
  ],
  controllers: [BareSetController],
  providers: [{ provide: REDIS, useValue: redis }, NoopHandler],
})
class BenchModule {}

const app = await NestFactory.create(BenchModule, new ExpressAdapter(), { logger: ['error'] });
app.enableShutdownHooks();
await app.listen(0, '127.0.0.1');
console.log(JSON.stringify({ url: (await app.getUrl()).replace('[::1]', '127.0.0.1') }));
