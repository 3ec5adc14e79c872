import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  Controller,
  Get,
  Inject,
  Logger,
  NotFoundException,
  Param,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HotglueClient, HotglueCredentialsError, HotglueTenant } from '../../hotglue/index.js';
import { getProviderJson } from '../providers/provider-fetch.js';
import { DEFAULT_PROVIDERS } from '../providers/provider-registry.js';
import { loadSourceProfile } from '../providers/source-profile.js';
import { SAMPLE_OPTIONS, type SampleAppOptions } from '../sample-options.js';
import { ApiHotglueGuarded } from './api-docs.js';
import { ErrorResponse, SourceProfileResponse } from './dto.js';
import { HOTGLUE_ROUTE_GUARDS } from './sample-guards.js';

/** A tap as the route accepts it: what hotglue's tap ids look like, and safe to name in a log line. */
const TAP_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const RECONNECT =
  'The connection to this source was revoked or has expired: the tenant must reconnect it in the widget.';

/**
 * The seed's use case end to end: the backend fetches the tenant's OAuth credentials from hotglue, calls the
 * provider's own API with them, and returns only the provider's non-secret answer. The credentials never
 * leave the server (not in the body, not in a log line, not in an error).
 */
@ApiTags('hotglue')
@Controller('hotglue')
@UseGuards(...HOTGLUE_ROUTE_GUARDS)
export class SourceProfileController {
  private readonly logger = new Logger('SourceProfile');

  constructor(
    @Inject(HotglueClient) private readonly client: HotglueClient,
    @Inject(SAMPLE_OPTIONS) private readonly options: SampleAppOptions,
  ) {}

  @Get('sources/:tap/profile')
  @ApiOperation({
    summary:
      "Who the tenant is at the provider: the provider's profile answer, fetched server-side with the tenant's credentials.",
  })
  @ApiParam({ name: 'tap', type: String, example: 'salesforce' })
  @ApiOkResponse({ type: SourceProfileResponse })
  @ApiResponse({
    status: 404,
    type: ErrorResponse,
    description: 'Source not linked, or no provider API for it.',
  })
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description: 'Credentials revoked: the tenant must reconnect.',
  })
  @ApiResponse({ status: 422, type: ErrorResponse, description: 'The source holds no OAuth credentials.' })
  @ApiResponse({ status: 502, type: ErrorResponse, description: 'hotglue or the provider failed.' })
  @ApiHotglueGuarded()
  async profile(
    @HotglueTenant() tenantId: string,
    @Param('tap') tap: string,
  ): Promise<SourceProfileResponse> {
    if (!TAP_PATTERN.test(tap)) throw new BadRequestException('tap is malformed.');
    const api = (this.options.providers ?? DEFAULT_PROVIDERS)(tap);
    if (!api) throw new NotFoundException('No provider API is configured for this source.');
    try {
      const outcome = await loadSourceProfile({
        api,
        credentials: (fresh) => this.client.getSourceCredentials(tenantId, tap, { fresh }),
        evict: () => this.client.evictCredentials(tenantId, tap),
        fetch: getProviderJson,
      });
      switch (outcome.kind) {
        case 'ok':
          return { tenantId, tap, profile: outcome.profile };
        case 'reconnect':
          this.logger.warn(`profile of tap "${tap}": the provider refused fresh credentials`);
          throw new ConflictException(RECONNECT);
        case 'url':
          this.logger.warn(`profile of tap "${tap}": provider URL refused (${outcome.problem})`);
          throw new BadGatewayException("The provider URL in the tenant's credentials is not allowed.");
        case 'provider-failed':
          this.logger.warn(`profile of tap "${tap}": provider call failed (${outcome.detail})`);
          throw new BadGatewayException('The provider request failed.');
      }
    } catch (error) {
      if (!(error instanceof HotglueCredentialsError)) throw error;
      switch (error.reason) {
        case 'revoked':
          throw new ConflictException(RECONNECT);
        case 'not-linked':
          throw new NotFoundException('This source is not linked for the tenant.');
        case 'no-token':
          throw new UnprocessableEntityException(
            'This source holds no OAuth credentials to call its API with.',
          );
      }
    }
  }
}
