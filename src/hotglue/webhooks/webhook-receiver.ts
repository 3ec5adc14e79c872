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
import { getHotglueEnvironment } from '../environment/environment-ref.js';
import type { HotglueTelemetry, HotglueWebhookOutcome } from '../telemetry/index.js';
import { logText } from './log-text.js';
import { parseJsonBody } from './parse-json-body.js';
import { parseHotglueEvent } from './parse-webhook-event.js';
import { HotglueWebhookQueue } from './queue/webhook-queue.js';
import { type BodyRefusal, type CapturedBody, capturedBodyOf } from './raw-body/read-webhook-body.js';
import { HotglueWebhookSetupError } from './webhook.errors.js';
import { HotglueWebhookHandlers } from './webhook-handlers.js';
import {
  HOTGLUE_WEBHOOK_SUBSCRIPTIONS,
  type HotglueWebhookSubscription,
  type ValidatedWebhookOptions,
} from './webhook-options.js';
import {
  type HotglueWebhookHandoff,
  HotglueWebhookProcessor,
  type HotglueWebhookResult,
} from './webhook-processor.js';
import { HOTGLUE_SIGNATURE_HEADER } from './webhook-signature.js';
import { subscriptionsOf, verifiedSubscriptions } from './webhook-subscriptions.js';
import { HOTGLUE_WEBHOOK_OPTIONS } from './webhooks.constants.js';

/** The JSON a 2xx answer carries. */
export interface HotglueWebhookAck {
  readonly received: true;
  /** `queued` in queue mode: stored in the queue, a worker runs the handlers. */
  readonly outcome: 'processed' | 'queued' | 'duplicate' | 'stale';
  /** The delivery id (equal for repeats of the same event). */
  readonly id: string;
}

/**
 * What the receiver answers: the processor's results, plus a body that verified only with the secret of a
 * subscription it does not belong to (e.g. a connection event signed with the job secret).
 */
type ReceiverResult = HotglueWebhookResult | { readonly status: 401; readonly outcome: 'wrong-subscription' };

/** Fixed, secret-free answers for each refusal: nothing from the request is echoed. */
function refusal(result: Exclude<ReceiverResult, { status: 200 }>): HttpException {
  switch (result.outcome) {
    case 'no-secret':
    case 'bad-signature':
    case 'wrong-subscription':
      return new UnauthorizedException('Missing or invalid X-Hub-Signature.');
    case 'not-json':
      return new BadRequestException('The webhook body must be a JSON object.');
    case 'aborted':
      return new BadRequestException('The webhook body was not received completely.');
    case 'store-unavailable':
    case 'queue-unavailable':
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
function outcomeOf(result: ReceiverResult): HotglueWebhookOutcome {
  if (result.status === 200) {
    if (result.outcome === 'queued') return 'queued';
    return result.outcome === 'processed' ? 'processed' : 'duplicate';
  }
  return result.status >= 500 ? 'failed' : 'rejected';
}

/** Runs the processor for one request and turns its outcome into an answer and (for refusals) one log line. */
@Injectable()
export class HotglueWebhookReceiver implements OnModuleInit {
  private readonly logger = new Logger('HotglueWebhooks');
  private readonly processor: HotglueWebhookProcessor;
  /**
   * Set when the subscriptions do not all share one secret: one processor per distinct secret (at most
   * three), each the unchanged verify-parse-dedupe-dispatch pipeline with that secret. Undefined when one
   * secret (or none) covers all three: then every delivery takes `processor`, exactly as before.
   */
  private readonly bySecret: Map<string, HotglueWebhookProcessor> | undefined;
  /** Where deliveries are counted by outcome (OpenTelemetry, when installed). */
  private telemetry: HotglueTelemetry | undefined;

  constructor(
    @Inject(HOTGLUE_WEBHOOK_OPTIONS) private readonly options: ValidatedWebhookOptions,
    @Inject(HotglueWebhookHandlers) handlers: HotglueWebhookHandlers,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(HotglueWebhookQueue) private readonly queue: HotglueWebhookQueue,
  ) {
    const distinct = new Set(HOTGLUE_WEBHOOK_SUBSCRIPTIONS.map((name) => options.secrets[name]));
    // One secret for all three (however it was given: `secret`, or `secrets` naming the same one thrice).
    const only = distinct.size === 1 ? distinct.values().next().value : options.secret;
    const handoff = queue.enabled ? this.enqueue : undefined;
    this.processor = new HotglueWebhookProcessor({ ...options, secret: only }, handlers.dispatch, handoff);
    if (distinct.size > 1) {
      this.bySecret = new Map();
      for (const secret of distinct) {
        if (secret === undefined) continue;
        this.bySecret.set(
          secret,
          new HotglueWebhookProcessor({ ...options, secret }, handlers.dispatch, handoff),
        );
      }
    }
  }

  /** Queue mode: stores the verified delivery; 2xx only once Redis acknowledged the add. */
  private readonly enqueue: HotglueWebhookHandoff = async (event, id, receivedAt, text) => {
    const environment = this.options.environment;
    // Parsed already: kept beside the body so status views can tell tenants apart without reading bodies.
    const tenantId = event.kind === 'unknown' ? undefined : event.tenantId;
    try {
      await this.queue.enqueue({
        body: text,
        delivery: {
          id,
          receivedAt: receivedAt.toISOString(),
          ...(environment === undefined ? {} : { environment }),
          ...(tenantId === undefined ? {} : { tenantId }),
        },
      });
    } catch {
      return { status: 503, outcome: 'queue-unavailable', id };
    }
    return { status: 200, outcome: 'queued', id };
  };

  onModuleInit(): void {
    // Fails start-up, naming the environment and the fix, when the route is bound to one not registered.
    const bound = this.options.environment;
    if (bound !== undefined) this.telemetry = getHotglueEnvironment(this.moduleRef, bound).telemetry;
    else {
      // Unbound: report to the unnamed environment's telemetry when the app registers one (optional).
      try {
        this.telemetry = getHotglueEnvironment(this.moduleRef).telemetry;
      } catch {
        this.telemetry = undefined;
      }
    }
    this.queue.attachTelemetry(this.telemetry);
    const unset = HOTGLUE_WEBHOOK_SUBSCRIPTIONS.filter((name) => this.options.secrets[name] === undefined);
    if (unset.length === HOTGLUE_WEBHOOK_SUBSCRIPTIONS.length) {
      this.logger.warn(
        'No webhook secret (HOTGLUE_WEBHOOK_SECRET / webhooks.secret): every delivery is refused with 401. ' +
          "Set it to the secret of hotglue's webhook settings.",
      );
    } else if (unset.length > 0) {
      this.logger.warn(
        `No webhook secret for the ${unset.join(' and ')} subscription${unset.length > 1 ? 's' : ''} ` +
          `(${unset.map((name) => `HOTGLUE_WEBHOOK_SECRET_${name.toUpperCase()}`).join(' / ')}, webhooks.secrets, ` +
          'or HOTGLUE_WEBHOOK_SECRET for all): those deliveries are refused with 401.',
      );
    }
  }

  /** Verifies, parses, dedupes and dispatches one delivery; throws an HttpException for every refusal. */
  async receive(request: {
    headers: Record<string, string | string[] | undefined>;
  }): Promise<HotglueWebhookAck> {
    const captured = capturedBodyOf(request);
    const signature = request.headers[HOTGLUE_SIGNATURE_HEADER];
    const result = this.bySecret
      ? await this.receiveBySubscription(this.bySecret, captured, signature)
      : await this.processor.receive(captured, signature);
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

  /**
   * One route, several secrets. hotglue lets each subscription have its own URL, but a delivery names its
   * subscription nowhere but in its signature and its body, and a route per subscription would still have
   * to check both; so every subscription may share the one route and the receiver decides in this order:
   * 1. Size and capture problems are answered before any secret is used (the processor's own checks).
   * 2. The signature is checked against every configured secret, each in constant time, before anything
   *    else reads the body: an unverified body is never parsed, let alone processed (401 if none matches).
   * 3. Only then is the verified body parsed, and accepted only if one of the subscriptions whose secret
   *    verified it is one its shape belongs to (`subscriptionsOf`): a connection event signed with the job
   *    secret is 401, so a leaked job secret cannot forge link changes (which evict credentials).
   * 4. The processor of that subscription's secret runs the usual pipeline (it verifies again, with that one
   *    secret: the cost of a second HMAC and parse, against keeping the processor's order untouched).
   */
  private async receiveBySubscription(
    bySecret: ReadonlyMap<string, HotglueWebhookProcessor>,
    captured: CapturedBody | undefined,
    signature: string | string[] | undefined,
  ): Promise<ReceiverResult> {
    // Not a complete body: the processor answers 500 / 413 / 400 before it would look at any secret.
    if (captured?.kind !== 'body') return this.processor.receive(captured, signature);
    const verified = verifiedSubscriptions(this.options.secrets, captured.body, signature);
    if (verified.size === 0) return { status: 401, outcome: 'bad-signature' };
    let subscription: HotglueWebhookSubscription | undefined;
    try {
      const body = parseJsonBody(captured.body.toString('utf8'));
      if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
        const allowed = subscriptionsOf(parseHotglueEvent(body as Record<string, unknown>));
        subscription = allowed.find((name) => verified.has(name));
        if (subscription === undefined) return { status: 401, outcome: 'wrong-subscription' };
      }
    } catch {
      // Not JSON: the processor of any verifying secret answers 400, as with a single secret.
    }
    const secret = this.options.secrets[subscription ?? verified.values().next().value!]!;
    return bySecret.get(secret)!.receive(captured, signature);
  }

  private logRefusal(result: Exclude<ReceiverResult, { status: 200 }>): void {
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
