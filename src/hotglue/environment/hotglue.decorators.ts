import { Inject } from '@nestjs/common';
import { HOTGLUE_HTTP_POOL } from '../client/client.constants.js';
import { HotglueClient } from '../client/hotglue-client.js';
import {
  HOTGLUE_ENVIRONMENT,
  HOTGLUE_JWT_SIGNER,
  HOTGLUE_OPTIONS,
  HOTGLUE_SIGNING_KEY,
} from '../hotglue.constants.js';
import { assertEnvironmentName } from '../options/environment-names.js';
import { HotglueTokenService } from '../token/hotglue-token.service.js';

/**
 * A named environment's token for `what`. `Symbol.for`, so two copies of the library in one process (or a
 * test that imports the source and the build) still agree on it.
 */
function named(name: string, what: string): symbol {
  return Symbol.for(`nestjs-hotglue:${assertEnvironmentName(name)}:${what}`);
}

/**
 * The injection token of the validated options: of the unnamed environment, or of `name`'s. Use it in
 * `moduleRef.get()` and test overrides.
 */
export const getHotglueOptionsToken = (name?: string): symbol =>
  name === undefined ? HOTGLUE_OPTIONS : named(name, 'options');
/** The injection token of the signing key (it always reads the active key, rotations included). */
export const getHotglueSigningKeyToken = (name?: string): symbol =>
  name === undefined ? HOTGLUE_SIGNING_KEY : named(name, 'signing-key');
/** The injection token of the `HotglueJwtSigner` (override it in tests to count or fail signings). */
export const getHotglueJwtSignerToken = (name?: string): symbol =>
  name === undefined ? HOTGLUE_JWT_SIGNER : named(name, 'jwt-signer');
/** The injection token of the client's undici pool. */
export const getHotglueHttpPoolToken = (name?: string): symbol =>
  name === undefined ? HOTGLUE_HTTP_POOL : named(name, 'http-pool');
/** The injection token of `HotglueTokenService`: the class itself without a name, a symbol with one. */
export const getHotglueTokenServiceToken = (name?: string): symbol | typeof HotglueTokenService =>
  name === undefined ? HotglueTokenService : named(name, 'token-service');
/** The injection token of `HotglueClient`: the class itself without a name, a symbol with one. */
export const getHotglueClientToken = (name?: string): symbol | typeof HotglueClient =>
  name === undefined ? HotglueClient : named(name, 'client');
/**
 * The injection token of a registered environment's `HotglueEnvironment` (name, options, signing-key state):
 * the seam through which guards, health checks and companion kits bind to a named environment.
 */
export const getHotglueEnvironmentToken = (name?: string): symbol =>
  name === undefined ? HOTGLUE_ENVIRONMENT : named(name, 'environment');

/** Injects the validated `HotglueValidatedOptions` (of environment `name`, when given). */
export const InjectHotglueOptions = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getHotglueOptionsToken(name));
/** Injects the `HotglueSigningKey` (public key, JWK, fingerprint) of the environment, always the active one. */
export const InjectHotglueSigningKey = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getHotglueSigningKeyToken(name));
/** Injects `HotglueTokenService`, or the one of environment `name`. */
export const InjectHotglueTokenService = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getHotglueTokenServiceToken(name));
/** Injects `HotglueClient`, or the one of environment `name`. */
export const InjectHotglueClient = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getHotglueClientToken(name));
