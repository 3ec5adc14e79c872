/**
 * Forgetting `ThrottlerModule` fails at boot with one line that names the module to import, instead of
 * Nest's "can't resolve dependencies of the <random mixin id> (?, Symbol(ThrottlerStorage), Reflector)".
 */
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ThrottlerModule } from '@nestjs/throttler';
import { describe, expect, it } from 'vitest';
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
}

describe('HotglueUserThrottlerGuard without ThrottlerModule', () => {
  it('rejects compile() with one line naming ThrottlerModule.forRoot and @nestjs/throttler', async () => {
    const compiled = Test.createTestingModule({ controllers: [ThrottledController] }).compile();
    const error = await compiled.then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toBe(
      "HotglueUserThrottlerGuard needs ThrottlerModule: add ThrottlerModule.forRoot({ throttlers: [...] }) from '@nestjs/throttler' to your AppModule's imports.",
    );
    expect(error!.message).not.toMatch(/\n|can't resolve/);
  });

  it('boots as before once ThrottlerModule is imported in the app module', async () => {
    @Module({
      imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 2 }] })],
      controllers: [ThrottledController],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    await moduleRef.close();
  });
});
