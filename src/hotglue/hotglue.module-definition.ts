import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { HotglueModuleOptions } from './hotglue.options.js';

/**
 * `forRoot` / `forRootAsync` with `isGlobal`, built the way `@nestjs/cache-manager` and
 * `@golevelup/nestjs-stripe` build theirs. `MODULE_OPTIONS_TOKEN` holds the raw, unvalidated options.
 */
export const {
  ConfigurableModuleClass: HotglueConfigurableModule,
  MODULE_OPTIONS_TOKEN: HOTGLUE_MODULE_OPTIONS,
  OPTIONS_TYPE: HOTGLUE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: HOTGLUE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HotglueModuleOptions>({ moduleName: 'Hotglue' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createHotglueOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** What `forRootAsync({ useClass })` / `useExisting` must implement. */
export interface HotglueOptionsFactory {
  createHotglueOptions(): HotglueModuleOptions | Promise<HotglueModuleOptions>;
}
