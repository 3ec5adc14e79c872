/**
 * HotglueUserThrottlerGuard over real HTTP: per-user budgets, Retry-After, and the decorators of
 * @nestjs/throttler (`@SkipThrottle`, `@Throttle` with fixed and per-request limits) still honoured by the
 * guard's cached route plans.
 */
import { Controller, Get, type INestApplication, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SkipThrottle, Throttle, ThrottlerModule } from '@nestjs/throttler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotglueUserThrottlerGuard } from '../../src/hotglue/throttler/index.js';

const UserThrottler = HotglueUserThrottlerGuard<{ headers: Record<string, string | undefined> }>({
  userOf: (request) => request.headers['x-user'],
});

@Controller()
@UseGuards(UserThrottler)
class ThrottledController {
  @Get('plain')
  plain() {
    return { ok: true };
  }

  @Get('skipped')
  @SkipThrottle()
  skipped() {
    return { ok: true };
  }

  @Get('roomy')
  @Throttle({ default: { limit: 4, ttl: 60_000 } })
  roomy() {
    return { ok: true };
  }

  @Get('per-request')
  @Throttle({ default: { limit: () => 1, ttl: 60_000 } })
  perRequest() {
    return { ok: true };
  }
}

@Module({
  imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 2 }], setHeaders: false })],
  controllers: [ThrottledController],
})
class AppModule {}

let app: INestApplication;
let base: string;
beforeAll(async () => {
  app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});
afterAll(() => app?.close());

const statuses = async (path: string, user: string, times: number) => {
  const out: number[] = [];
  for (let i = 0; i < times; i++)
    out.push((await fetch(`${base}${path}`, { headers: { 'x-user': user } })).status);
  return out;
};

describe('HotglueUserThrottlerGuard', () => {
  it('counts per user and answers 429 with Retry-After past the module limit', async () => {
    expect(await statuses('/plain', 'alice', 3)).toEqual([200, 200, 429]);
    expect(await statuses('/plain', 'bob', 2)).toEqual([200, 200]);
    const refused = await fetch(`${base}/plain`, { headers: { 'x-user': 'alice' } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-limit')).toBeNull(); // setHeaders: false is honoured
  });

  it('honours @SkipThrottle, a fixed @Throttle override and a per-request one', async () => {
    expect(await statuses('/skipped', 'carol', 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await statuses('/roomy', 'carol', 5)).toEqual([200, 200, 200, 200, 429]);
    expect(await statuses('/per-request', 'carol', 2)).toEqual([200, 429]);
  });
});
