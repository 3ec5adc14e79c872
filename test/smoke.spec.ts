import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { HotglueModule, HotglueTokenService } from '../src/hotglue/index.js';
import { generateTestSigningKey } from '../src/hotglue-testing/signing-keys.js';

describe('smoke', () => {
  it('signs', async () => {
    const key = generateTestSigningKey();
    const ref = await Test.createTestingModule({
      imports: [HotglueModule.forRoot({ envId: 'dev.x.hotglue.xyz', signingKey: key.privateKeyBase64 })],
    }).compile();
    const svc = ref.get(HotglueTokenService);
    const t = await svc.getToken('acme');
    expect((await svc.verifyToken(t.token, { tenantId: 'acme' })).tenantId).toBe('acme');
  });
});
