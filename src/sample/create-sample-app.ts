import { Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { SampleAppModule } from './app.module.js';
import { configureSampleApp } from './http/configure-app.js';
import type { SampleAppOptions } from './sample-options.js';

/**
 * Builds (but does not start) the sample app on Express. Bootstrap errors such as `HotglueConfigError`
 * are thrown to the caller (`abortOnError: false`) instead of aborting the process. `logger` replaces
 * Nest's console logger (the specs capture every line with it); `false` silences it (the benchmark).
 */
export async function createSampleApp(
  options: SampleAppOptions,
  logger?: LoggerService | false,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    SampleAppModule.forRoot(options),
    new ExpressAdapter(),
    {
      ...(logger === undefined ? {} : { logger }),
      abortOnError: false,
    },
  );
  // A plain Logger forwards to whatever logger the app was given.
  return configureSampleApp(app, options, new Logger('HTTP'));
}
