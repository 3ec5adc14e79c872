import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HotglueTenant, HotglueWebhookQueue } from '../../hotglue/index.js';
import { ApiHotglueGuarded } from '../hotglue/api-docs.js';
import { HOTGLUE_ROUTE_GUARDS } from '../hotglue/sample-guards.js';
import { SAMPLE_EVENT_LOG, type SampleEventLog } from './event-log.js';
import type { SampleEvent } from './sample-event.js';

/** The events hotglue delivered for the caller's tenant (the demo page polls it). */
@ApiTags('hotglue')
@Controller('hotglue')
@UseGuards(...HOTGLUE_ROUTE_GUARDS)
export class HotglueEventsController {
  constructor(
    @Inject(SAMPLE_EVENT_LOG) private readonly log: SampleEventLog,
    @Inject(HotglueWebhookQueue) private readonly queue: HotglueWebhookQueue,
  ) {}

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

  @Get('webhook-queue')
  @ApiOperation({
    summary:
      'Queue mode (HOTGLUE_WEBHOOK_QUEUE_REDIS_URL): how many deliveries are queued, running, waiting for a retry, failed and processed, and the caller\'s tenant\'s recent deliveries with their state; { mode: "inline" } otherwise.',
  })
  @ApiOkResponse({
    description:
      '{ mode, waiting, active, delayed, failed, completed, deliveries: [{ id, state, receivedAt, attemptsMade }] }; state is queued, processing, retrying, failed or processed.',
  })
  @ApiHotglueGuarded()
  async webhookQueue(@HotglueTenant() tenantId: string): Promise<Record<string, unknown>> {
    if (!this.queue.enabled) return { mode: 'inline' };
    const [counts, recent] = await Promise.all([this.queue.counts(), this.queue.recentDeliveries()]);
    // Only the caller's tenant's deliveries (the counts are the shared queue's, ids of no one).
    const deliveries = recent
      .filter((delivery) => delivery.tenantId === tenantId)
      .map(({ id, state, receivedAt, attemptsMade }) => ({
        id,
        state,
        receivedAt: receivedAt?.toISOString() ?? null,
        attemptsMade,
      }));
    return { mode: 'queue', ...counts, deliveries };
  }
}
