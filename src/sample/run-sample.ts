import { randomBytes } from 'node:crypto';
import { type INestApplication, Logger, type LoggerService } from '@nestjs/common';
import { checkHotglueEnv, HotglueConfigError } from '../hotglue/index.js';
import { signAppToken } from './auth/index.js';
import { createSampleApp } from './create-sample-app.js';
import { DEMO_TENANT_ID, DEMO_USER_ID } from './demo/demo-constants.js';
import { LOCAL_DIR } from './http/paths.js';
import { readHttpAdapter } from './http-adapter.js';
import { renderLocalBanner } from './local-mode/banner.js';
import { decideSampleMode, type SampleMode } from './local-mode/decide-mode.js';
import { isLoopbackHost } from './local-mode/loopback.js';
import { connectSampleRedis, connectSampleRedisCluster, type SampleRedis } from './redis/connect-redis.js';
import { readSampleEnv, type SampleEnv } from './sample-env.js';

/** A started sample. */
export interface RunningSample {
  readonly mode: SampleMode;
  readonly url: string;
  readonly app: INestApplication;
  /** Stops the app and, in local mode, the emulator. */
  close(): Promise<void>;
}

/** Inputs of `runSample`; `main.ts` passes the real process values. */
export interface RunSampleInput {
  readonly env: Record<string, string | undefined>;
  /** False for `start:prod` (`--prod`): local mode is never entered. */
  readonly allowLocal: boolean;
  /** Where local mode keeps its development key. Default `<repo>/.local/` (`APP_LOCAL_DIR` overrides). */
  readonly localDir?: string;
  /**
   * Where local mode keeps hotglue's widget script. Default `APP_WIDGET_DIR`, else `<repo>/.local/` whatever
   * `APP_LOCAL_DIR` says: the file is fetched once per checkout and shared by every start (browser specs
   * included).
   */
  readonly widgetDir?: string;
  /** Where the banner and start-up lines go. */
  readonly print: (text: string) => void;
  readonly logger?: LoggerService;
}

/**
 * Starts the sample. Configured mode validates the sample's and hotglue's settings first and throws one
 * `HotglueConfigError` listing every problem (the caller prints it and exits non-zero).
 */
export async function runSample(input: RunSampleInput): Promise<RunningSample> {
  const mode = decideSampleMode(input.env, input.allowLocal);
  return mode === 'local' ? runLocal(input) : runConfigured(input);
}

async function runConfigured(input: RunSampleInput): Promise<RunningSample> {
  const { env, issues } = readSampleEnv(input.env, true);
  const http = readHttpAdapter(input.env);
  issues.push(...http.issues);
  // Checked here as well as in HotglueModule, so one list holds the sample's problems and hotglue's.
  issues.push(...checkHotglueEnv(input.env));
  if (issues.length > 0) throw new HotglueConfigError(issues);

  const redis = await connectRedis(env, input);
  try {
    const app = await createSampleApp(
      {
        authSecret: env.authSecret!,
        corsOrigins: env.corsOrigins,
        rateLimit: { limit: env.rateLimit, ttlMs: 60_000 },
        // OpenAPI documents every route to whoever asks: only when the operator turns it on.
        docs: env.docs === true,
        webhookSecret: env.webhookSecret,
        ...(env.webhookSecrets ? { webhookSecrets: env.webhookSecrets } : {}),
        ...(env.webhookQueueRedisUrl ? { webhookQueueRedisUrl: env.webhookQueueRedisUrl } : {}),
        ...(redis ? { redis: redis.client } : {}),
      },
      input.logger,
      http.adapter,
    );
    await listenOrClose(app, env.port, env.host ?? '0.0.0.0');
    const url = await appUrl(app);
    input.print(
      `nestjs-hotglue sample listening on ${url} on ${http.adapter} (hotglue configured from HOTGLUE_* variables)`,
    );
    return { mode: 'configured', url, app, close: () => closeAll(app.close(), redis) };
  } catch (error) {
    await redis?.close();
    throw error;
  }
}

/** `REDIS_URL` or `REDIS_CLUSTER_NODES` (never both); undefined when neither is set. */
async function connectRedis(env: SampleEnv, input: RunSampleInput): Promise<SampleRedis | undefined> {
  const logger = input.logger ?? new Logger('Redis');
  if (env.redisClusterNodes) return connectSampleRedisCluster(env.redisClusterNodes, logger);
  return env.redisUrl ? connectSampleRedis(env.redisUrl, logger) : undefined;
}

async function closeAll(closing: Promise<void>, redis: SampleRedis | undefined): Promise<void> {
  await closing;
  await redis?.close();
}

async function runLocal(input: RunSampleInput): Promise<RunningSample> {
  const { env, issues } = readSampleEnv(input.env, false);
  if (env.host !== undefined && !isLoopbackHost(env.host)) {
    issues.push({
      path: 'HOST',
      message:
        'local mode listens on loopback only (127.0.0.1, ::1 or localhost): it hands out a demo bearer to ' +
        'whoever asks. Unset HOST, or configure the HOTGLUE_* variables to run for real.',
    });
  }
  const http = readHttpAdapter(input.env);
  issues.push(...http.issues);
  if (issues.length > 0) throw new HotglueConfigError(issues);
  // Loaded only here: a production start never imports the emulator.
  const { startLocalHotglue } = await import('./local-mode/local-hotglue.js');
  const local = await startLocalHotglue(
    input.localDir ?? input.env.APP_LOCAL_DIR ?? LOCAL_DIR,
    input.widgetDir ?? input.env.APP_WIDGET_DIR ?? LOCAL_DIR,
  );
  let redis: SampleRedis | undefined;
  try {
    redis = await connectRedis(env, input);
    const authSecret = env.authSecret ?? randomBytes(48).toString('base64url');
    // A fresh webhook secret per run, known only to this process's emulator and app.
    const webhookSecret = randomBytes(32).toString('base64url');
    const bearer = signAppToken(authSecret, { sub: DEMO_USER_ID, tenants: [DEMO_TENANT_ID] });
    const app = await createSampleApp(
      {
        authSecret,
        hotglue: local.hotglue,
        demo: { bearer, widget: local.widget, widgetScript: local.widgetScript },
        profiles: local.profiles,
        corsOrigins: env.corsOrigins,
        rateLimit: { limit: env.rateLimit, ttlMs: 60_000 },
        docs: env.docs !== false,
        webhookSecret,
        ...(env.webhookQueueRedisUrl ? { webhookQueueRedisUrl: env.webhookQueueRedisUrl } : {}),
        ...(redis ? { redis: redis.client } : {}),
        // The hourly tenant-sync job runs against the emulator, as it would against hotglue.
        jobs: {},
      },
      input.logger,
      http.adapter,
    );
    await listenOrClose(app, env.port, env.host ?? '127.0.0.1');
    const url = await appUrl(app);
    // The emulator delivers job, discover and connection events to the app, signed like hotglue does.
    local.emulator.setWebhook({ url: `${url}/hotglue/webhooks`, secret: webhookSecret });
    input.print(
      renderLocalBanner({
        appUrl: url,
        emulatorUrl: local.emulator.url,
        envId: local.emulator.envId,
        bearer,
        keyPath: local.devKey.path,
        keyCreated: local.devKey.created,
        authSecretGenerated: env.authSecret === undefined,
        docs: env.docs !== false,
        widget: local.widgetScript.available
          ? `${local.widgetScript.path} (${local.widgetFetched ? 'fetched now' : 'reused'})`
          : `not available: ${local.widgetScript.reason}`,
      }),
    );
    return {
      mode: 'local',
      url,
      app,
      close: async () => {
        await local.emulator.close();
        await app.close();
        await redis?.close();
      },
    };
  } catch (error) {
    await local.emulator.close();
    await redis?.close();
    throw error;
  }
}

/** A failed `listen` (e.g. EADDRINUSE) closes the app, so its HTTP pool and timers do not keep running. */
async function listenOrClose(app: INestApplication, port: number, host: string): Promise<void> {
  try {
    await app.listen(port, host);
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** `getUrl()` reports `[::1]` or `0.0.0.0` forms; browsers and curl want a host they can reach. */
async function appUrl(app: INestApplication): Promise<string> {
  const url = new URL(await app.getUrl());
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  return url.origin;
}
