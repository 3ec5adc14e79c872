/** Injection token of the validated `HotglueResolvedOptions`. Prefer `InjectHotglueOptions()`. */
export const HOTGLUE_OPTIONS = Symbol('HOTGLUE_OPTIONS');
/** Injection token of the parsed `HotglueSigningKey`. Prefer `InjectHotglueSigningKey()`. */
export const HOTGLUE_SIGNING_KEY = Symbol('HOTGLUE_SIGNING_KEY');
/** Injection token of the `HotglueJwtSigner` the token service signs with (override it to count signings). */
export const HOTGLUE_JWT_SIGNER = Symbol('HOTGLUE_JWT_SIGNER');
/** Internal: options and key resolved together, so one error lists every problem. */
export const HOTGLUE_SETUP = Symbol('HOTGLUE_SETUP');
