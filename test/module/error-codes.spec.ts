/**
 * `HotglueErrorCode` is exactly the set of codes the library's errors carry: a class with a code outside it
 * fails to compile (the base class types `code`), and a code no class carries any more fails here.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  HotglueAbortError,
  type HotglueApi,
  HotglueApiError,
  HotglueArgumentError,
  HotglueConfigError,
  HotglueCredentialsError,
  HotglueEnvironmentNotFoundError,
  HotglueError,
  type HotglueErrorCode,
  HotglueNetworkError,
  HotglueProviderError,
  HotglueResponseInvalidError,
  HotglueRetryAfterTooLongError,
  HotglueSigningKeyError,
  HotglueTenantIdError,
  HotglueTimeoutError,
  HotglueTokenVerificationError,
  HotglueWebhookQueueUnavailableError,
  HotglueWebhookSetupError,
  HotglueWebhookStoreUnavailableError,
} from '../../src/hotglue/index.js';
import {
  HotglueApiKeyMissingError,
  HotglueFlowIdMissingError,
  HotglueResponseTooLargeError,
} from '../support/library-internals.js';

type Underscored<S extends string> = S extends `${infer A}-${infer B}` ? Underscored<`${A}_${B}`> : S;

type CodeOf<T extends abstract new (...args: never) => HotglueError> = InstanceType<T>['code'];

type EveryCode =
  | CodeOf<typeof HotglueAbortError>
  | CodeOf<typeof HotglueApiError>
  | CodeOf<typeof HotglueApiKeyMissingError>
  | CodeOf<typeof HotglueArgumentError>
  | CodeOf<typeof HotglueConfigError>
  | CodeOf<typeof HotglueCredentialsError>
  | CodeOf<typeof HotglueEnvironmentNotFoundError>
  | CodeOf<typeof HotglueFlowIdMissingError>
  | CodeOf<typeof HotglueNetworkError>
  | CodeOf<typeof HotglueProviderError>
  | CodeOf<typeof HotglueResponseInvalidError>
  | CodeOf<typeof HotglueResponseTooLargeError>
  | CodeOf<typeof HotglueRetryAfterTooLongError>
  | CodeOf<typeof HotglueSigningKeyError>
  | CodeOf<typeof HotglueTenantIdError>
  | CodeOf<typeof HotglueTimeoutError>
  | CodeOf<typeof HotglueTokenVerificationError>
  | CodeOf<typeof HotglueWebhookSetupError>
  | CodeOf<typeof HotglueWebhookStoreUnavailableError>
  | CodeOf<typeof HotglueWebhookQueueUnavailableError>;

describe('HotglueErrorCode', () => {
  it('is the union of the codes of every error class, each class with a literal code of its own', () => {
    expectTypeOf<EveryCode>().toEqualTypeOf<HotglueErrorCode>();
    expectTypeOf<CodeOf<typeof HotglueTimeoutError>>().toEqualTypeOf<'HOTGLUE_TIMEOUT'>();
    expectTypeOf<HotglueError['code']>().toEqualTypeOf<HotglueErrorCode>();
    // A provider error's code is its reason, upper-cased with '-' as '_': the union lists one per reason.
    expectTypeOf<
      CodeOf<typeof HotglueProviderError>
    >().toEqualTypeOf<`HOTGLUE_PROVIDER_${Underscored<Uppercase<HotglueApi.HotglueProviderErrorReason>>}`>();
  });

  it('narrows in a switch, so a host handles the codes it knows and the compiler checks the spelling', () => {
    const handled = (error: HotglueError): string => {
      switch (error.code) {
        case 'HOTGLUE_TIMEOUT':
        case 'HOTGLUE_NETWORK_ERROR':
          return 'retry';
        default:
          return 'fail';
      }
    };
    expectTypeOf(handled).parameter(0).toEqualTypeOf<HotglueError>();
    // A real error's code at run time is the literal its class declares.
    const error = new HotglueArgumentError('tenantId', 'must be a string');
    expect(error.code).toBe('HOTGLUE_ARGUMENT_INVALID');
    expect(handled(error)).toBe('fail');
    expect(
      handled(new HotglueTimeoutError({ method: 'GET', path: '/tenants', attempts: 1 }, 'overall', 10)),
    ).toBe('retry');
  });
});
