import { ConfigurableModuleBuilder } from '@nestjs/common';
import { HOTGLUE_MODULE_OPTIONS } from './hotglue.constants.js';
import { hotglueEnvironmentDefinition } from './hotglue.providers.js';
import { assertEnvironmentName } from './options/environment-names.js';
import type { HotglueModuleOptions } from './options/hotglue.options.js';

/** Extras of `forRoot` / `forRootAsync`, beside the options themselves. */
export interface HotglueModuleExtras {
  /** Registers the module's exports globally. Default `false`. */
  isGlobal?: boolean;
  /**
   * Registers a named environment beside the unnamed one, with its own key, token cache, client and pool;
   * inject it with `@InjectHotglueTokenService(name)` / `@InjectHotglueClient(name)`. Without a name, the
   * module is the unnamed environment (`HotglueTokenService`, `HotglueClient`).
   */
  name?: string;
}

/**
 * `forRoot` / `forRootAsync` with `isGlobal` and `name`, built the way `@nestjs/cache-manager` and
 * `@golevelup/nestjs-stripe` build theirs. The options token holds the raw, unvalidated options; the extras
 * transform adds the environment's providers and its (name-specific) exports.
 */
export const { ConfigurableModuleClass: HotglueConfigurableModule } =
  new ConfigurableModuleBuilder<HotglueModuleOptions>({
    moduleName: 'Hotglue',
    optionsInjectionToken: HOTGLUE_MODULE_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createHotglueOptions')
    .setExtras<HotglueModuleExtras>({ isGlobal: false, name: undefined }, (definition, extras) => {
      // Checked here, so a bad name fails where the module is declared, before anything boots.
      const name = extras.name === undefined ? undefined : assertEnvironmentName(extras.name);
      const environment = hotglueEnvironmentDefinition(name);
      return {
        ...definition,
        global: extras.isGlobal,
        providers: [...(definition.providers ?? []), ...environment.providers],
        exports: environment.exports,
      };
    })
    .build();

/** What `forRootAsync({ useClass })` / `useExisting` must implement. */
export interface HotglueOptionsFactory {
  createHotglueOptions(): HotglueModuleOptions | Promise<HotglueModuleOptions>;
}
