import { format } from 'node:util';
import { type INestApplication, Logger, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HOTGLUE_JWT_SIGNER, HOTGLUE_SIGNING_KEY } from '../../src/hotglue/hotglue.constants.js';
import type { HotglueInternals, HotglueSigningKey } from '../../src/hotglue/index.js';
import { signRs256 } from '../../src/hotglue/token/rs256.js';
import { SampleAppModule } from '../../src/sample/app.module.js';
import { createHttpAdapter } from '../../src/sample/create-sample-app.js';
import { configureSampleApp } from '../../src/sample/http/configure-app.js';
import type { SampleHttpAdapter } from '../../src/sample/http-adapter.js';
import type { SampleAppOptions } from '../../src/sample/sample-options.js';

/** Every log line and console write of a spec run, for the leak scan. */
export class CapturedOutput {
  readonly lines: string[] = [];
  private restore: (() => void) | undefined;

  /** A Nest logger that records instead of printing. */
  readonly logger: LoggerService = {
    log: (...args: unknown[]) => this.lines.push(`LOG ${format(...args)}`),
    error: (...args: unknown[]) => this.lines.push(`ERROR ${format(...args)}`),
    warn: (...args: unknown[]) => this.lines.push(`WARN ${format(...args)}`),
    debug: (...args: unknown[]) => this.lines.push(`DEBUG ${format(...args)}`),
    verbose: (...args: unknown[]) => this.lines.push(`VERBOSE ${format(...args)}`),
    fatal: (...args: unknown[]) => this.lines.push(`FATAL ${format(...args)}`),
  };

  /** Also records (and still prints) whatever reaches stdout/stderr. */
  captureProcessOutput(): void {
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const tap =
      (target: typeof out) =>
      (chunk: unknown, ...rest: unknown[]): boolean => {
        this.lines.push(`STDIO ${String(chunk)}`);
        return (target as (...a: unknown[]) => boolean)(chunk, ...rest);
      };
    process.stdout.write = tap(out) as typeof process.stdout.write;
    process.stderr.write = tap(err) as typeof process.stderr.write;
    this.restore = () => {
      process.stdout.write = out;
      process.stderr.write = err;
    };
  }

  stop(): void {
    this.restore?.();
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/**
 * The HTTP platform the sample specs run on: `SAMPLE_TEST_HTTP_ADAPTER=fastify` (set by the `*.fastify.*`
 * spec files before they import the Express spec) runs the very same specs on Fastify.
 */
export function sampleTestAdapter(): SampleHttpAdapter {
  return process.env.SAMPLE_TEST_HTTP_ADAPTER === 'fastify' ? 'fastify' : 'express';
}

/** A started sample app plus what the specs observe. */
export interface SampleTestApp {
  readonly app: INestApplication;
  readonly url: string;
  /** Every signing input the RS256 signer received (one per signed token). */
  readonly signings: string[];
  close(): Promise<void>;
}

/**
 * Starts the sample exactly as `createSampleApp` wires it (same module, same `configureSampleApp`), on
 * real Express at 127.0.0.1:0, with the signer wrapped to count signings. `failSigningFor`: the signer
 * throws (with a canary in the message) for that tenant, to exercise the generic 500.
 */
export async function startSampleTestApp(
  options: SampleAppOptions,
  output: CapturedOutput,
  failSigningFor?: { tenantId: string; message: string },
): Promise<SampleTestApp> {
  const signings: string[] = [];
  const moduleRef = await Test.createTestingModule({ imports: [SampleAppModule.forRoot(options)] })
    .overrideProvider(HOTGLUE_JWT_SIGNER)
    .useFactory({
      factory:
        (key: HotglueSigningKey): HotglueInternals.HotglueJwtSigner =>
        async (input) => {
          signings.push(input);
          const claims = JSON.parse(Buffer.from(input.split('.')[1]!, 'base64url').toString()) as {
            sub: string;
          };
          if (failSigningFor && claims.sub === failSigningFor.tenantId)
            throw new Error(failSigningFor.message);
          return signRs256(input, key.privateKey);
        },
      inject: [HOTGLUE_SIGNING_KEY],
    })
    .setLogger(output.logger)
    .compile();
  const app = moduleRef.createNestApplication(await createHttpAdapter(sampleTestAdapter()), {
    logger: output.logger,
  });
  configureSampleApp(app, options, new Logger('HTTP'));
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, signings, close: () => app.close() };
}
