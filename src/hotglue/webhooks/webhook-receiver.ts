import {
  BadRequestException,
  HttpException,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  type OnModuleInit,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { resolveHotglueEnvironment } from '../hotglue.environment-ref.js';
import type { HotglueTelemetry, HotglueWebhookOutcome } from '../telemetry/index.js';
import { logText } from './log-text.js';
import { type BodyRefusal, capturedBodyOf } from './raw-body/read-capped.js';
import { HotglueWebhookSetupError } from './webhook.errors.js';
import { HotglueWebhookHandlers } from './webhook-handlers.js';
import type { ResolvedWebhookOptions } from './webhook-options.js';
import { HotglueWebhookProcessor, type HotglueWebhookResult } from './webhook-processor.js';
import { HOTGLUE_SIGNATURE_HEADER } from './webhook-signature.js';
import { HOTGLUE_WEBHOOK_OPTIONS } from './webhooks.constants.js';

/** The JSON a 2xx answer carries. */
export interface HotglueWebhookAck {
  readonly received: true;
  readonly outcome: 'processed' | 'duplicate' | 'stale';
  /** The delivery id (equal for repeats of the same event). */
  readonly id: string;
}

/** Fixed, secret-free answers for each refusal: nothing from the request is echoed. */
function refusal(result: Exclude<HotglueWebhookResult, { status: 200 }>): HttpException {
  switch (result.outcome) {
    case 'no-secret':
    case 'bad-signature':
      return new UnauthorizedException('Missing or invalid X-Hub-Signature.');
    case 'not-json':
      return new BadRequestException('The webhook body must be a JSON object.');
    case 'aborted':
      return new BadRequestException('The webhook body was not received completely.');
    case 'store-unavailable':
    case 'busy':
    case 'lease-lost':
      return new ServiceUnavailableException('The webhook cannot be processed now; deliver it again later.');
    case 'not-captured':
    case 'handler-failed':
      return new InternalServerErrorException('The webhook was not processed; deliver it again later.');
    default: {
      // Every outcome is answered above: a new one fails the typecheck here instead of becoming a 500.
      const unanswered: never = result;
      return unanswered;
    }
  }
}

/** The telemetry outcome of a result: a stale replay counts as a duplicate, a 5xx as failed. */
function outcomeOf(result: HotglueWebhookResult): HotglueWebhookOutcome {
  if (result.status === 200) return result.outcome === 'processed' ? 'processed' : 'duplicate';
  return result.status >= 500 ? 'failed' : 'rejected';
}

/** Runs the processor for one request and turns its outcome into an answer and (for refusals) one log line. */
@Injectable()
export class HotglueWebhookReceiver implements OnModuleInit {
  private readonly logger = new Logger('HotglueWebhooks');
  private readonly processor: HotglueWebhookProcessor;
  /** Where deliveries are counted by outcome (OpenTelemetry, when installed). */
  private telemetry: HotglueTelemetry | undefined;

  constructor(
    @Inject(HOTGLUE_WEBHOOK_OPTIONS) private readonly options: ResolvedWebhookOptions,
    @Inject(HotglueWebhookHandlers) handlers: HotglueWebhookHandlers,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {
    this.processor = new HotglueWebhookProcessor(options, handlers.dispatch);
  }

  onModuleInit(): void {
    // Fails start-up, naming the environment and the fix, when the route is bound to one not registered.
    const bound = this.options.environment;
    if (bound !== undefined) this.telemetry = resolveHotglueEnvironment(this.moduleRef, bound).telemetry;
    else {
      // Unbound: report to the unnamed environment's telemetry when the app registers one (optional).
      try {
        this.telemetry = resolveHotglueEnvironment(this.moduleRef).telemetry;
      } catch {
        this.telemetry = undefined;
      }
    }
    if (this.options.secret === undefined) {
      this.logger.warn(
        'No webhook secret (HOTGLUE_WEBHOOK_SECRET / webhooks.secret): every delivery is refused with 401. ' +
          "Set it to the secret of hotglue's webhook settings.",
      );
    }
  }

  /** Verifies, parses, dedupes and dispatches one delivery; throws an HttpException for every refusal. */
  async receive(request: {
    headers: Record<string, string | string[] | undefined>;
  }): Promise<HotglueWebhookAck> {
    const result = await this.processor.receive(
      capturedBodyOf(request),
      request.headers[HOTGLUE_SIGNATURE_HEADER],
    );
    this.telemetry?.recordWebhookDelivery(outcomeOf(result));
    if (result.status === 200) return { received: true, outcome: result.outcome, id: result.id };
    this.logRefusal(result);
    throw refusal(result);
  }

  /** A body the capture refused and answered itself (413, 408, 503): counted and logged like the others. */
  refusedByCapture(refusal: BodyRefusal): void {
    this.telemetry?.recordWebhookDelivery(refusal.status >= 500 ? 'failed' : 'rejected');
    this.logger.warn(`delivery refused with ${refusal.status}: ${refusal.outcome} (connection closed)`);
  }

  private logRefusal(result: Exclude<HotglueWebhookResult, { status: 200 }>): void {
    const id = 'id' in result && result.id ? ` (delivery ${logText(result.id)})` : '';
    if (result.outcome === 'not-captured') {
      this.logger.error(
        new HotglueWebhookSetupError(
          'body-not-captured',
          'the request body was read before the webhook route could capture it. A body parser was mounted on the ' +
            'Express/Fastify instance before NestFactory.create(); mount it after, or leave parsing to Nest.',
        ).message,
      );
    } else if (result.outcome === 'handler-failed') {
      // Each failing handler was logged by name already; this line says what hotglue was told.
      this.logger.warn(`delivery refused with 500 after a handler failed${id}; hotglue may deliver it again`);
    } else if (result.outcome === 'lease-lost') {
      this.logger.error(
        `delivery refused with 503: lease-lost${id}: its claim was lost while the handlers ran (expired or ` +
          'taken over); not marked done, hotglue may deliver it again',
      );
    } else if (result.status === 503) {
      this.logger.error(`delivery refused with 503: ${result.outcome}${id}`);
    } else {
      this.logger.warn(`delivery refused with ${result.status}: ${result.outcome}`);
    }
  }
}
