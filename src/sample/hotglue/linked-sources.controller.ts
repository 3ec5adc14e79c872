import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HotglueClient, HotglueTenant } from '../../hotglue/index.js';
import { DEFAULT_PROFILES } from '../providers/provider-registry.js';
import { SAMPLE_OPTIONS, type SampleAppOptions } from '../sample-options.js';
import { ApiHotglueGuarded } from './api-docs.js';
import { LinkedSourcesResponse } from './dto.js';
import { toPublicLinkedSource } from './public-linked-source.js';
import { HOTGLUE_ROUTE_GUARDS } from './sample-guards.js';

/** The caller's tenant's linked sources, fetched server-side through `HotglueClient`. */
@ApiTags('hotglue')
@Controller('hotglue')
@UseGuards(...HOTGLUE_ROUTE_GUARDS)
export class LinkedSourcesController {
  constructor(
    @Inject(HotglueClient) private readonly client: HotglueClient,
    @Inject(SAMPLE_OPTIONS) private readonly options: SampleAppOptions,
  ) {}

  @Get('linked-sources')
  @ApiOperation({ summary: "The tenant's linked sources: ids and labels only, never config or credentials." })
  @ApiOkResponse({ type: LinkedSourcesResponse })
  @ApiHotglueGuarded()
  async linkedSources(@HotglueTenant() tenantId: string): Promise<LinkedSourcesResponse> {
    const sources = await this.client.getLinkedSources(tenantId);
    const profiles = this.options.profiles ?? DEFAULT_PROFILES;
    const hasProvider = (tap: string) => profiles(tap) !== undefined;
    return { tenantId, linkedSources: sources.map((source) => toPublicLinkedSource(source, hasProvider)) };
  }
}
