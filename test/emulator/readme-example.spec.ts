// The example of README.md ("Testing with the emulator" > "A complete spec"), kept runnable here. In a user's
// project the imports are 'nestjs-hotglue' and 'nestjs-hotglue/testing'.
import { Inject, Injectable, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getHotglueEnvironment, HotglueTokenService } from '../../src/hotglue/index.js';
import { createHotglueTestingModule, type HotglueTestingModule } from '../../src/hotglue-testing/index.js';

// --- the code under test: your own service -------------------------------------------------------
@Injectable()
class IntegrationsService {
  constructor(
    @Inject(HotglueTokenService) private readonly tokens: HotglueTokenService,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  /** The tenant's connected apps, read with the public key + the tenant's token. */
  async connectedApps(tenantId: string): Promise<string[]> {
    const { token } = await this.tokens.getToken(tenantId);
    // The options HotglueModule validated (the unnamed environment; pass a name for another).
    const { apiUrl, envId, flowId, publicApiKey } = getHotglueEnvironment(this.moduleRef).options;
    const path = [envId, flowId!, tenantId, 'linkedSources'].map(encodeURIComponent).join('/');
    const res = await fetch(`${apiUrl}/${path}?token=${encodeURIComponent(token)}`, {
      headers: { 'x-api-key': publicApiKey! },
    });
    if (res.status !== 200) throw new Error(`hotglue answered ${res.status}`);
    return ((await res.json()) as Array<{ label: string }>).map((source) => source.label);
  }
}

@Module({ providers: [IntegrationsService], exports: [IntegrationsService] })
class IntegrationsModule {}

// --- the spec --------------------------------------------------------------------------------------
describe('IntegrationsService against the hotglue emulator', () => {
  let hotglue: HotglueTestingModule;

  beforeAll(async () => {
    hotglue = await createHotglueTestingModule({
      imports: [IntegrationsModule],
      emulator: {
        seed: {
          linkedSources: [{ tenantId: 'acme', source: { tap: 'salesforce', config: { access_token: 'x' } } }],
        },
      },
    });
  });
  afterAll(() => hotglue.close());

  it('lists what the tenant connected', async () => {
    const service = hotglue.moduleRef.get(IntegrationsService);
    await expect(service.connectedApps('acme')).resolves.toEqual(['Salesforce']);

    // What did we send? One call, public key, a valid token for acme (redacted in the log).
    expect(hotglue.emulator.requests).toMatchObject([
      { method: 'GET', keyKind: 'public', token: 'valid', status: 200, query: { token: '[REDACTED]' } },
    ]);
  });

  it('surfaces a hotglue outage', async () => {
    hotglue.emulator.injectFault({ kind: 'status', status: 503 }, { path: /linkedSources$/ });
    await expect(hotglue.moduleRef.get(IntegrationsService).connectedApps('acme')).rejects.toThrow('503');
  });
});
