// The README's token endpoint.
import { Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { HotglueTenant, HotglueTenantGuard, HotglueTokenService } from 'nestjs-hotglue';
import { HotglueUserThrottlerGuard } from 'nestjs-hotglue/throttler';
import { type AuthedRequest, AuthGuard } from './auth.guard';

const TenantGuard = HotglueTenantGuard<AuthedRequest>({
  tenantsOf: (req) => req.user?.tenantIds,
  from: { query: 'tenantId' },
  defaultToOnlyTenant: true,
});
const UserThrottler = HotglueUserThrottlerGuard<AuthedRequest>({ userOf: (req) => req.user?.id });

@Controller('hotglue')
@UseGuards(AuthGuard, UserThrottler, TenantGuard)
export class TokenController {
  constructor(@Inject(HotglueTokenService) private readonly tokens: HotglueTokenService) {}

  @Get('token')
  @Header('Cache-Control', 'no-store')
  async token(@HotglueTenant() tenantId: string) {
    const { token, expiresAt } = await this.tokens.getToken(tenantId);
    return { token, tenantId, expiresAt: expiresAt.toISOString() };
  }
}
