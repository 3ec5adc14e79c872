import { Module } from '@nestjs/common';
import { HotglueConfigurableModule } from './hotglue.module-definition.js';

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
 * Registers the validated options, the signing key (reloaded from `signingKeyFile` when it changes),
 * `HotglueTokenService` and `HotglueClient` (with its keep-alive pool, closed on shutdown). Pass
 * `isGlobal: true` to make them injectable everywhere without importing the module again, and
 * `name: 'eu'` to register a second environment beside the unnamed one (see `hotglueConfigFor`).
 * The providers are added by `forRoot` / `forRootAsync` (one set per environment), not listed here.
 */
@Module({})
export class HotglueModule extends HotglueConfigurableModule {}
