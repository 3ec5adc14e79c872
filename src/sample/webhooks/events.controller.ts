import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HotglueTenant } from '../../hotglue/index.js';
import { ApiHotglueGuarded } from '../hotglue/api-docs.js';
import { HOTGLUE_ROUTE_GUARDS } from '../hotglue/sample-guards.js';
import { SAMPLE_EVENT_LOG, type SampleEventLog } from './event-log.js';
import type { SampleEvent } from './sample-event.js';

/** The events hotglue delivered for the caller's tenant (the demo page polls it). */
@ApiTags('hotglue')
@Controller('hotglue')
@UseGuards(...HOTGLUE_ROUTE_GUARDS)
export class HotglueEventsController {
  constructor(@Inject(SAMPLE_EVENT_LOG) private readonly log: SampleEventLog) {}

  @Get('events')
  @ApiOperation({
    summary:
      "Webhook events processed for the caller's tenant, newest first; ids, kinds and statuses only, never config.",
  })
  @ApiOkResponse({ description: 'A JSON array of { id, kind, tenantId, receivedAt, ... }' })
  @ApiHotglueGuarded()
  events(@HotglueTenant() tenantId: string): Promise<SampleEvent[]> {
    return this.log.list(tenantId);
  }
}
