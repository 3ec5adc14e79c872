import { Module } from '@nestjs/common';
import { HOTGLUE_HTTP_POOL } from './client/client.constants.js';
import { HotglueClient } from './client/hotglue-client.js';
import { HotgluePoolLifecycle } from './client/http-pool.js';
import { HotglueCredentialsEviction } from './credentials/credentials-eviction.js';
import { HOTGLUE_JWT_SIGNER, HOTGLUE_OPTIONS, HOTGLUE_SIGNING_KEY } from './hotglue.constants.js';
import { HotglueConfigurableModule } from './hotglue.module-definition.js';
import { hotglueProviders } from './hotglue.providers.js';
import { HotglueTokenService } from './token/hotglue-token.service.js';

/**
 * hotglue secure requests for a Nest app.
 *
 * ```ts
 * @Module({
 *   imports: [ConfigModule.forRoot(), HotglueModule.forRootAsync(hotglueConfig.asProvider())],
 * })
 * export class AppModule {}
 * ```
 *
 * Registers the validated options, the parsed signing key, `HotglueTokenService` and `HotglueClient`
 * (with its keep-alive pool, closed on shutdown). Pass
 * `isGlobal: true` to make them injectable everywhere without importing the module again.
 */
@Module({
  providers: [
    ...hotglueProviders,
    HotglueTokenService,
    HotglueClient,
    HotgluePoolLifecycle,
    HotglueCredentialsEviction,
  ],
  exports: [
    HOTGLUE_OPTIONS,
    HOTGLUE_SIGNING_KEY,
    HOTGLUE_JWT_SIGNER,
    HOTGLUE_HTTP_POOL,
    HotglueTokenService,
    HotglueClient,
  ],
})
export class HotglueModule extends HotglueConfigurableModule {}
