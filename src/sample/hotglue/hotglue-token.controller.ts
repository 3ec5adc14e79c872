import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HotglueTenant, type HotglueToken, HotglueTokenService } from '../../hotglue/index.js';
import { ApiHotglueGuarded } from './api-docs.js';
import { HotglueTokenResponse } from './dto.js';
import { HOTGLUE_ROUTE_GUARDS } from './sample-guards.js';

/** The endpoint a host app's browser code calls before opening hotglue's widget. */
@ApiTags('hotglue')
@Controller('hotglue')
@UseGuards(...HOTGLUE_ROUTE_GUARDS)
export class HotglueTokenController {
  constructor(@Inject(HotglueTokenService) private readonly tokens: HotglueTokenService) {}

  @Get('token')
  @ApiOperation({
    summary: "A hotglue tenant token for one of the caller's tenants (Cache-Control: no-store).",
  })
  @ApiOkResponse({ type: HotglueTokenResponse })
  @ApiHotglueGuarded()
  token(@HotglueTenant() tenantId: string): Promise<HotglueTokenResponse> {
    // getToken: cached per tenant and re-signed before expiry, so polling browsers cost no RSA signing.
    return this.tokens.getToken(tenantId).then(toResponse);
  }
}

/** The token as the browser receives it. */
function toResponse(token: HotglueToken): HotglueTokenResponse {
  return { token: token.token, tenantId: token.tenantId, expiresAt: token.expiresAt.toISOString() };
}
