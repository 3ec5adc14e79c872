import { Module } from '@nestjs/common';
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
 * Registers the validated options, the parsed signing key and `HotglueTokenService`. Pass
 * `isGlobal: true` to make them injectable everywhere without importing the module again.
 */
@Module({
  providers: [...hotglueProviders, HotglueTokenService],
  exports: [HOTGLUE_OPTIONS, HOTGLUE_SIGNING_KEY, HOTGLUE_JWT_SIGNER, HotglueTokenService],
})
export class HotglueModule extends HotglueConfigurableModule {}
