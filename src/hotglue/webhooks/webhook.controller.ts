import { Controller, HttpCode, HttpException, Inject, Post, Req, Res, type Type } from '@nestjs/common';
import { type HotglueWebhookAck, HotglueWebhookReceiver } from './webhook-receiver.js';

/** `Retry-After` of a 503, in seconds: Redis outages the route reports are usually short. */
const RETRY_AFTER_SECONDS = 5;

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
    async receive(
      @Req() request: { headers: Record<string, string | string[] | undefined> },
      @Res({ passthrough: true }) response: { header(name: string, value: string): unknown },
    ): Promise<HotglueWebhookAck> {
      try {
        return await this.receiver.receive(request);
      } catch (error) {
        // A 503 (store or queue unavailable, busy) says when to try again; Express and Fastify keep a
        // header set before the exception filter writes the answer.
        if (error instanceof HttpException && error.getStatus() === 503) {
          response.header('Retry-After', String(RETRY_AFTER_SECONDS));
        }
        throw error;
      }
    }
  }
  return HotglueWebhookController;
}
