import type { INestApplication, LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { loopbackOnly } from '../local-mode/loopback.js';
import type { SampleAppOptions } from '../sample-options.js';
import { PUBLIC_DIR } from './paths.js';
import { SampleExceptionFilter } from './sample-exception.filter.js';
import { securityHeaders } from './security-headers.js';

type Next = () => void;
type HeaderSink = { setHeader(name: string, value: string): void };

/**
 * The HTTP stack of the sample, shared by `main.ts`, the e2e specs and the benchmark: security headers,
 * `Cache-Control: no-store` on every response (tokens must never sit in a shared cache, and error
 * responses are no more cacheable), CORS only for an explicit allow-list, generic errors, OpenAPI at
 * `/docs`, and the demo page in local mode.
 */
export function configureSampleApp<App extends INestApplication>(
  app: App,
  options: SampleAppOptions,
  logger: LoggerService,
): App {
  // Fastify sends no X-Powered-By and takes the same connect-style middleware through @fastify/middie.
  const express = app.getHttpAdapter().getType() === 'express';
  if (express) (app as unknown as NestExpressApplication).disable('x-powered-by');
  // Local mode hands out a demo bearer: first of all, answer only this machine (DNS rebinding).
  if (options.demo) app.use(loopbackOnly());
  const connectOrigins = options.demo ? [new URL(options.demo.widget.apiUrl).origin] : [];
  app.use(helmet(securityHeaders(connectOrigins, options.demo !== undefined)));
  app.use((_req: unknown, res: HeaderSink, next: Next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...options.corsOrigins],
      methods: ['GET'],
      allowedHeaders: ['Authorization'],
      credentials: false,
      maxAge: 600,
    });
  }
  app.useGlobalFilters(new SampleExceptionFilter(logger));
  if (options.docs === true) {
    const config = new DocumentBuilder()
      .setTitle('nestjs-hotglue sample')
      .setDescription('Tenant tokens for hotglue secure requests, behind auth, tenant and rate-limit guards.')
      .addBearerAuth()
      .build();
    // Swagger UI's assets need @fastify/static on Fastify, which the sample does not install: the OpenAPI
    // document (`/docs-json`) is served on both platforms, the UI page on Express only.
    SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), { ui: express });
  }
  if (options.demo && express) {
    // serve-static writes its own Cache-Control; `setHeaders` runs after it, so no-store wins. (On Fastify the
    // demo page needs @fastify/static, which the sample does not install: the API still runs.)
    (app as unknown as NestExpressApplication).useStaticAssets(PUBLIC_DIR, {
      index: 'index.html',
      // No validators: a conditional request could only earn a 304, and every success here is a 200.
      etag: false,
      lastModified: false,
      setHeaders: (res: HeaderSink) => res.setHeader('Cache-Control', 'no-store'),
    });
  }
  return app;
}
