import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { loopbackOnly } from '../local-mode/loopback-only.js';
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
export function configureSampleApp(
  app: NestExpressApplication,
  options: SampleAppOptions,
  logger: LoggerService,
): NestExpressApplication {
  app.disable('x-powered-by');
  // Local mode (the demo): loopback Host and Origin only, before anything else answers.
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
  if (options.docs ?? process.env.NODE_ENV !== 'production') {
    const config = new DocumentBuilder()
      .setTitle('nestjs-hotglue sample')
      .setDescription('Tenant tokens for hotglue secure requests, behind auth, tenant and rate-limit guards.')
      .addBearerAuth()
      .build();
    SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
  }
  if (options.demo) {
    // serve-static writes its own Cache-Control; `setHeaders` runs after it, so no-store wins.
    app.useStaticAssets(PUBLIC_DIR, {
      index: 'index.html',
      etag: false,
      setHeaders: (res: HeaderSink) => res.setHeader('Cache-Control', 'no-store'),
    });
  }
  return app;
}
