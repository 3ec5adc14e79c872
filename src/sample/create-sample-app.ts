import { type INestApplication, Logger, type LoggerService } from '@nestjs/common';
import { type AbstractHttpAdapter, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { SampleAppModule } from './app.module.js';
import { configureSampleApp } from './http/configure-app.js';
import type { SampleHttpAdapter } from './http-adapter.js';
import type { SampleAppOptions } from './sample-options.js';

/** A new Nest HTTP adapter of that kind; Fastify's package is loaded only when asked for. */
export async function createHttpAdapter(kind: SampleHttpAdapter = 'express'): Promise<AbstractHttpAdapter> {
  if (kind === 'express') return new ExpressAdapter();
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  return new FastifyAdapter();
}

/**
 * Builds (but does not start) the sample app on Express, or on Fastify with `adapter: 'fastify'`. Bootstrap
 * errors such as `HotglueConfigError` are thrown to the caller (`abortOnError: false`) instead of aborting
 * the process. `logger` replaces Nest's console logger (the specs capture every line with it); `false`
 * silences it (the benchmark).
 */
export async function createSampleApp(
  options: SampleAppOptions,
  logger?: LoggerService | false,
  adapter: SampleHttpAdapter = 'express',
): Promise<INestApplication> {
  const app = await NestFactory.create(SampleAppModule.forRoot(options), await createHttpAdapter(adapter), {
    ...(logger === undefined ? {} : { logger }),
    abortOnError: false,
  });
  // A plain Logger forwards to whatever logger the app was given.
  return configureSampleApp(app, options, new Logger('HTTP'));
}
