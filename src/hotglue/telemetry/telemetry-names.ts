/**
 * Names of this library's instruments and attributes (kept apart from the OpenTelemetry code, so the public
 * barrel can export them without its type declarations naming `@opentelemetry/api`).
 */

/** Instrumentation scope name of every meter and tracer of this library. */
export const HOTGLUE_INSTRUMENTATION_SCOPE = 'nestjs-hotglue';

/**
 * Attribute names, hard-coded from the OpenTelemetry HTTP client semantic conventions (stable since
 * semconv 1.23) so the library does not depend on `@opentelemetry/semantic-conventions`.
 */
export const SEMCONV = {
  method: 'http.request.method',
  statusCode: 'http.response.status_code',
  resendCount: 'http.request.resend_count',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  urlFull: 'url.full',
  urlTemplate: 'url.template',
  errorType: 'error.type',
} as const;

/** This library's own attributes and instruments. */
export const HOTGLUE_ATTR = {
  operation: 'hotglue.operation',
  tenantId: 'hotglue.tenant_id',
  environment: 'hotglue.environment',
  auth: 'hotglue.auth',
  statusClass: 'hotglue.status_class',
  outcome: 'hotglue.webhook.outcome',
  deliveryId: 'hotglue.webhook.delivery_id',
  attempt: 'hotglue.webhook.attempt',
  jobOutcome: 'hotglue.webhook.job.outcome',
  provider: 'hotglue.provider',
  attempts: 'hotglue.provider.attempts',
} as const;

export const HOTGLUE_METRICS = {
  tokensSigned: 'hotglue.tokens.signed',
  cacheHits: 'hotglue.token_cache.hits',
  cacheMisses: 'hotglue.token_cache.misses',
  signingDuration: 'hotglue.token.signing.duration',
  clientDuration: 'http.client.request.duration',
  retries: 'hotglue.client.retries',
  webhookDeliveries: 'hotglue.webhook.deliveries',
  /** Queue mode: tries of queued deliveries, by `hotglue.webhook.job.outcome` (succeeded, failed, dead-letter). */
  webhookJobAttempts: 'hotglue.webhook.job.attempts',
  webhookJobDuration: 'hotglue.webhook.job.duration',
  /** Queue mode: deliveries waiting or delayed, observed at collection. */
  webhookQueueDepth: 'hotglue.webhook.queue.depth',
  /** Queue mode: age of the oldest waiting delivery, observed at collection. */
  webhookQueueOldestAge: 'hotglue.webhook.queue.oldest_age',
  /** Queue mode: deliveries whose tries are exhausted (the failed set), observed at collection. */
  webhookDeadLetters: 'hotglue.webhook.queue.dead_letters',
  providerDuration: 'hotglue.provider.request.duration',
} as const;

/** `2xx`, `4xx`, ... or `error` when no response arrived: low cardinality for metrics. */
export function statusClass(status: number | undefined): string {
  return status === undefined ? 'error' : `${Math.floor(status / 100)}xx`;
}

/** Internal: the semconv `error.type` of a call or attempt: the status for >= 400, else the error's code or name. */
export function errorType(status: number | undefined, error: unknown): string | undefined {
  if (status !== undefined && status >= 400) return String(status);
  if (error === undefined) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : '_OTHER';
}
