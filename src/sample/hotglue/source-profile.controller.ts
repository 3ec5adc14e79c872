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
import {
  HotglueClient,
  HotglueCredentialsError,
  HotglueProviderError,
  HotglueTenant,
} from '../../hotglue/index.js';
import { DEFAULT_PROFILES } from '../providers/provider-registry.js';
import { isObject, project } from '../providers/source-profile.js';
import { SAMPLE_OPTIONS, type SampleAppOptions } from '../sample-options.js';
import { ApiHotglueGuarded } from './api-docs.js';
import { ErrorResponse, SourceProfileResponse } from './dto.js';
import { HOTGLUE_ROUTE_GUARDS } from './sample-guards.js';

/** A tap as the route accepts it: what hotglue's tap ids look like, and safe to name in a log line. */
const TAP_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const RECONNECT =
  'The connection to this source was revoked or has expired: the tenant must reconnect it in the widget.';

/** Time budget of the profile call (the provider's part: credentials included). */
const PROFILE_TIMEOUT_MS = 5_000;

/**
 * The seed's use case end to end: the backend calls the provider's own API with the tenant's OAuth
 * credentials through `HotglueClient.provider()` (which reads them from hotglue, keeps the call on the
 * provider's allowed origins, refreshes them once on a 401 and never follows a redirect), and returns only
 * the provider's non-secret answer. The credentials never leave the server (not in the body, not in a log
 * line, not in an error).
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
    const view = (this.options.profiles ?? DEFAULT_PROFILES)(tap);
    if (!view) throw new NotFoundException('No provider API is configured for this source.');
    try {
      const provider = this.client.provider(tenantId, tap);
      const answer = await provider.request({
        path: view.profilePath,
        headers: { accept: 'application/json' },
        timeoutMs: PROFILE_TIMEOUT_MS,
      });
      let json: unknown;
      try {
        json = answer.status === 200 ? await answer.json() : undefined;
      } catch (error) {
        // The body is read here: a timeout or a lost connection while reading it is the library's typed
        // error (mapped below); only an answer that is not JSON is treated as no profile.
        if (error instanceof HotglueProviderError) throw error;
        json = undefined;
      }
      if (!isObject(json)) {
        this.logger.warn(`profile of tap "${tap}": provider answered status ${answer.status}`);
        throw new BadGatewayException('The provider request failed.');
      }
      // Cached by the call above: read only to keep any echo of the tokens out of the answer.
      const credentials = await this.client.getSourceCredentials(tenantId, tap);
      return { tenantId, tap, profile: project(json, view.fields, credentials) };
    } catch (error) {
      if (error instanceof HotglueProviderError) {
        // reason and code only: the library's message is safe, but a log line needs no more than this.
        this.logger.warn(`profile of tap "${tap}": ${error.code}`);
        switch (error.reason) {
          case 'reconnect':
            throw new ConflictException(RECONNECT);
          case 'unknown-provider':
            throw new NotFoundException('No provider API is configured for this source.');
          case 'refused-url':
            throw new BadGatewayException("The provider URL in the tenant's credentials is not allowed.");
          default:
            throw new BadGatewayException('The provider request failed.');
        }
      }
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
