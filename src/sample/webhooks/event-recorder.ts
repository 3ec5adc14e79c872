import { Inject, Injectable } from '@nestjs/common';
import { type HotglueDelivery, type HotglueWebhookEvent, OnHotglueEvent } from '../../hotglue/index.js';
import { SAMPLE_EVENT_LOG, type SampleEventLog } from './event-log.js';
import { toSampleEvent } from './sample-event.js';

/**
 * The sample's one webhook handler: every processed event goes to the event list. It runs once per
 * delivery (the kit dedupes); if the list cannot be written (Redis down), the error fails the delivery:
 * inline it answers 500 and is not marked done (a redelivery writes it); in queue mode the queue retries it.
 */
@Injectable()
export class SampleEventRecorder {
  constructor(@Inject(SAMPLE_EVENT_LOG) private readonly log: SampleEventLog) {}

  @OnHotglueEvent('*')
  async record(event: HotglueWebhookEvent, delivery: HotglueDelivery): Promise<void> {
    await this.log.add(toSampleEvent(event, delivery));
  }
}
