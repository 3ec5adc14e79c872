import { Inject } from '@nestjs/common';
import { HOTGLUE_OPTIONS, HOTGLUE_SIGNING_KEY } from './hotglue.constants.js';

/** The injection token of the validated options; use it in `moduleRef.get()` and test overrides. */
export const getHotglueOptionsToken = (): symbol => HOTGLUE_OPTIONS;
/** The injection token of the parsed signing key. */
export const getHotglueSigningKeyToken = (): symbol => HOTGLUE_SIGNING_KEY;

/** Injects the validated `HotglueResolvedOptions`. */
export const InjectHotglueOptions = (): PropertyDecorator & ParameterDecorator => Inject(HOTGLUE_OPTIONS);
/** Injects the parsed `HotglueSigningKey` (public key, JWK, fingerprint). */
export const InjectHotglueSigningKey = (): PropertyDecorator & ParameterDecorator =>
  Inject(HOTGLUE_SIGNING_KEY);
