import type { ModuleRef } from '@nestjs/core';
import type { HotglueClient } from '../client/hotglue-client.js';
import { HotglueEnvironmentNotFoundError } from '../hotglue.errors.js';
import type { HotglueTokenService } from '../token/hotglue-token.service.js';
import type { HotglueEnvironment } from './environment-info.js';
import {
  getHotglueClientToken,
  getHotglueEnvironmentToken,
  getHotglueTokenServiceToken,
} from './hotglue.decorators.js';

/** One registered environment with its services, as `getHotglueEnvironment` returns it. */
export interface HotglueEnvironmentServices extends HotglueEnvironment {
  readonly tokens: HotglueTokenService;
  readonly client: HotglueClient;
}

/**
 * Finds a registered environment anywhere in the app (`strict: false`), for code that is told an
 * environment's name at run time: `HotglueTenantGuard({ environment })`, health checks, companion kits
 * (webhooks). Throws `HotglueEnvironmentNotFoundError` naming the environment and the fix when it is not
 * registered (or its module is not global and not imported where `moduleRef` belongs).
 */
export function getHotglueEnvironment(moduleRef: ModuleRef, name?: string): HotglueEnvironmentServices {
  const lookup = <T>(token: unknown): T =>
    moduleRef.get<T>(token as symbol, {
      strict: false,
    });
  let environment: HotglueEnvironment;
  try {
    environment = lookup<HotglueEnvironment>(getHotglueEnvironmentToken(name));
  } catch {
    throw new HotglueEnvironmentNotFoundError(name);
  }
  return Object.freeze({
    ...environment,
    tokens: lookup<HotglueTokenService>(getHotglueTokenServiceToken(name)),
    client: lookup<HotglueClient>(getHotglueClientToken(name)),
  });
}
