/**
 * HotglueUserThrottlerGuard over real HTTP: per-user budgets, Retry-After, and the decorators of
 * @nestjs/throttler (`@SkipThrottle`, `@Throttle` with fixed and per-request limits) honoured by the base
 * class the guard extends, on @nestjs/throttler's own storage and on `HotglueMemoryThrottlerStorage`, which
 * must answer alike.
 */
import { Controller, Get, type INestApplication, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  SkipThrottle,
  Throttle,
  ThrottlerGuard,
  ThrottlerModule,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
  ThrottlerStorageService,
} from '@nestjs/throttler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HotglueMemoryThrottlerStorage,
  HotglueUserThrottlerGuard,
} from '../../src/hotglue/throttler/index.js';

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

async function start(options: ThrottlerModuleOptions): Promise<{ app: INestApplication; base: string }> {
  @Module({ imports: [ThrottlerModule.forRoot(options)], controllers: [ThrottledController] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, base: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

const storages = {
  "@nestjs/throttler's storage": () => new ThrottlerStorageService(),
  HotglueMemoryThrottlerStorage: () => new HotglueMemoryThrottlerStorage(),
};

describe.each(Object.entries(storages))('HotglueUserThrottlerGuard on %s', (_name, storage) => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    ({ app, base } = await start({
      throttlers: [{ ttl: 60_000, limit: 2 }],
      setHeaders: false,
      storage: storage(),
    }));
  });
  afterAll(() => app?.close());

  const statuses = async (path: string, user: string, times: number) => {
    const out: number[] = [];
    for (let i = 0; i < times; i++)
      out.push((await fetch(`${base}${path}`, { headers: { 'x-user': user } })).status);
    return out;
  };

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

describe('HotglueUserThrottlerGuard, HotglueMemoryThrottlerStorage against the stock storage', () => {
  // Two named throttlers, one with a block, ignored user agents and every header on.
  const options = (storage: ThrottlerStorage): ThrottlerModuleOptions => ({
    throttlers: [
      { name: 'default', ttl: 60_000, limit: 4 },
      { name: 'burst', ttl: 1_000, limit: 2, blockDuration: 5_000 },
    ],
    ignoreUserAgents: [/^probe\//],
    storage,
  });
  let reference: Awaited<ReturnType<typeof start>>;
  let ours: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    reference = await start(options(new ThrottlerStorageService()));
    ours = await start(options(new HotglueMemoryThrottlerStorage()));
  });
  afterAll(() => Promise.all([reference?.app.close(), ours?.app.close()]));

  /** Status, body and every rate-limit header; counts of seconds left may differ by one (two clocks). */
  const observe = async (base: string, headers: Record<string, string>) => {
    const response = await fetch(`${base}/plain`, { headers });
    const seen: Record<string, string> = { status: String(response.status), body: await response.text() };
    for (const [name, value] of response.headers)
      if (name.startsWith('x-ratelimit') || name.startsWith('retry-after')) seen[name] = value;
    return seen;
  };
  const closeEnough = (actual: Record<string, string>, expected: Record<string, string>) => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, value] of Object.entries(expected)) {
      if (/reset|retry-after/.test(name))
        expect(Math.abs(Number(actual[name]) - Number(value))).toBeLessThanOrEqual(1);
      else expect(actual[name], name).toBe(value);
    }
  };

  it('answers every request of a mixed sequence with the same status, body and headers', async () => {
    const callers: Record<string, string>[] = [
      { 'x-user': 'dana' },
      { 'x-user': 'dana' },
      { 'x-user': 'dana' }, // the burst throttler blocks
      { 'x-user': 'dana', 'user-agent': 'probe/1' }, // ignored by both throttlers
      { 'x-user': 'erin' },
      {}, // anonymous: counted per IP
      {},
      { 'x-user': 'dana' }, // still blocked
    ];
    const statuses: string[] = [];
    for (const headers of callers) {
      const expected = await observe(reference.base, headers);
      closeEnough(await observe(ours.base, headers), expected);
      statuses.push(expected.status!);
    }
    expect(statuses).toEqual(['200', '200', '429', '200', '200', '200', '200', '429']);
  });

  it("is @nestjs/throttler's own guard, extended only through its hooks", () => {
    expect(ours.app.get(UserThrottler, { strict: false })).toBeInstanceOf(ThrottlerGuard);
  });
});
