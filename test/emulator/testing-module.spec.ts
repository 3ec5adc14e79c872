import { Injectable, Module } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { HotglueTokenService } from '../../src/hotglue/index.js';
import {
  createHotglueTestingModule,
  generateTestSigningKey,
  type HotglueTestingModule,
} from '../../src/hotglue-testing/index.js';
import { call, pathOf } from './emulator-helpers.js';

/** A stand-in for a user's own feature module. */
@Injectable()
class Greeter {
  greet(): string {
    return 'hi';
  }
}

@Module({ providers: [Greeter], exports: [Greeter] })
class GreeterModule {}

describe('createHotglueTestingModule', () => {
  let hotglue: HotglueTestingModule | undefined;
  afterEach(async () => {
    await hotglue?.close();
    hotglue = undefined;
  });

  it('compiles HotglueModule against a running emulator whose tokens it accepts', async () => {
    hotglue = await createHotglueTestingModule({
      imports: [GreeterModule],
      emulator: { seed: { linkedSources: [{ tenantId: 'acme', source: { tap: 'csv' } }] } },
    });
    const { moduleRef, emulator } = hotglue;
    expect(moduleRef.get(Greeter).greet()).toBe('hi');
    const { token } = await moduleRef.get(HotglueTokenService).getToken('acme');
    const res = await call(
      emulator,
      'GET',
      pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'linkedSources'),
      {
        key: 'public',
        query: { token },
      },
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual([expect.objectContaining({ tap: 'csv' })]);
    expect(emulator.requests.at(-1)).toMatchObject({ keyKind: 'public', token: 'valid' });
  });

  it('accepts a given key and module option overrides; close() stops the emulator', async () => {
    const signingKey = generateTestSigningKey('testing-module');
    hotglue = await createHotglueTestingModule({ signingKey, moduleOptions: { tokenTtlSeconds: 120 } });
    expect(hotglue.signingKey).toBe(signingKey);
    const token = await hotglue.moduleRef.get(HotglueTokenService).createToken('acme');
    expect(token.expiresAt.getTime() - token.issuedAt.getTime()).toBe(120_000);
    const url = hotglue.emulator.url;
    await hotglue.close();
    hotglue = undefined;
    await expect(fetch(`${url}/`)).rejects.toBeInstanceOf(Error);
  });

  it('closes the emulator when the module does not compile', async () => {
    await expect(createHotglueTestingModule({ moduleOptions: { tokenTtlSeconds: 5 } })).rejects.toThrow(
      /tokenTtlSeconds/,
    );
  });
});
