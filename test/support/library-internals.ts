/**
 * Names the specs use that the package entries do not export: configuration internals, the options and
 * signing-key injection tokens, errors hosts branch on by `code`, the metric names. Specs reach them here
 * instead of each spec knowing which file of src/hotglue holds them.
 */
export {
  HotglueApiKeyMissingError,
  HotglueFlowIdMissingError,
  HotglueResponseTooLargeError,
} from '../../src/hotglue/client/client.errors.js';
export {
  getHotglueOptionsToken,
  getHotglueSigningKeyToken,
  InjectHotglueOptions,
  InjectHotglueSigningKey,
} from '../../src/hotglue/environment/hotglue.decorators.js';
export { hotglueOptionsFromEnv } from '../../src/hotglue/options/hotglue.config.js';
export { HOTGLUE_ENV_VARS } from '../../src/hotglue/options/hotglue.options.js';
export { type HotglueSetup, validateHotglueOptions } from '../../src/hotglue/options/validate-options.js';
export { HOTGLUE_METRICS } from '../../src/hotglue/telemetry/telemetry-names.js';
export { signHotglueWebhook } from '../../src/hotglue/webhooks/webhook-signature.js';
