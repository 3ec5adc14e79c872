/** Injection token of the validated webhook options (`ValidatedWebhookOptions`). */
export const HOTGLUE_WEBHOOK_OPTIONS = Symbol.for('nestjs-hotglue.webhook-options');
/** Injection token of the receiver's route path (a static module extra). */
export const HOTGLUE_WEBHOOK_PATH = Symbol.for('nestjs-hotglue.webhook-path');
