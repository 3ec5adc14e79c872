import { Controller, HttpCode, Inject, Post, Req, type Type } from '@nestjs/common';
import { type HotglueWebhookAck, HotglueWebhookReceiver } from './webhook-receiver.js';

/**
 * A controller class of its own per module registration, so that two apps (or two registrations) in one
 * process can use different paths: route paths are static class metadata in Nest.
 */
export function createHotglueWebhookController(path: string): Type<unknown> {
  @Controller(path)
  class HotglueWebhookController {
    constructor(@Inject(HotglueWebhookReceiver) private readonly receiver: HotglueWebhookReceiver) {}

    /** hotglue's signature is the auth: no app guard belongs on this route. */
    @Post()
    @HttpCode(200)
    receive(
      @Req() request: { headers: Record<string, string | string[] | undefined> },
    ): Promise<HotglueWebhookAck> {
      return this.receiver.receive(request);
    }
  }
  return HotglueWebhookController;
}
