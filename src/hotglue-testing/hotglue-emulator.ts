import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HotglueApi } from '../hotglue/index.js';
import { BodyBudget } from '../hotglue/webhooks/raw-body/body-budget.js';
import { DEFAULT_V1_FLOW_ID, DEFAULT_V2_FLOW_ID } from './default-seed.js';
import { type DispatchDeps, dispatch } from './dispatch.js';
import { EmulatedCredentials } from './emulated-credentials.js';
import {
  DEFAULT_EMULATOR_ENV_ID,
  DEFAULT_JOB_STEP_MS,
  DEFAULT_MAX_IN_FLIGHT_BODY_BYTES,
  DEFAULT_REQUEST_LOG_LIMIT,
  type EmulatorWebhookSettings,
  type HotglueEmulatorOptions,
  type JsonObject,
} from './emulator-options.js';
import { EmulatorStore, type JobRecord, jobView, progressOf } from './emulator-store.js';
import { type EmulatorFault, type EmulatorFaultMatch, FaultQueue } from './faults.js';
import { HostGuard } from './host-guard.js';
import { failureStep, type JobFailure } from './job-lifecycle.js';
import { OAuthConsent } from './oauth/consent-flow.js';
import { type EmulatorRequest, RequestLog } from './request-log.js';
import { Router } from './router.js';
import { catalogRoutes } from './routes/catalog-routes.js';
import { fileRoutes } from './routes/file-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import { linkedRoutes } from './routes/linked-routes.js';
import {
  type EmulatorProviderRequest,
  handleProviderRequest,
  isProviderPath,
  type ProviderRouteDeps,
} from './routes/provider-routes.js';
import type { RouteServices } from './routes/route.js';
import { tenantRoutes } from './routes/tenant-routes.js';
import { widgetRoutes } from './routes/widget-routes.js';
import { TokenVerifier, toRsaPublicKey } from './token-verifier.js';
import { type EmulatorWebhookDelivery, type EmulatorWebhookFault, WebhookNotifier } from './webhooks.js';

const randomKey = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;

/**
 * 421 in hotglue's `{ Code, Message }` shape, so every client (ours and the widget) reports it like any other
 * hotglue error. Nothing of the request is echoed; the body, if any, is drained unread.
 */
function refuseHost(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const body = JSON.stringify({
    Code: 'MisdirectedRequest',
    Message:
      'This emulator answers only Host 127.0.0.1, localhost or [::1] with its port; ' +
      'list other names in allowedHosts (EMULATOR_ALLOWED_HOSTS).',
  });
  res.writeHead(421, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * A local fake of hotglue's HTTP API on `node:http`: API-key kinds, RS256 tenant tokens, in-memory state,
 * hotglue's JSON shapes and `{ Code, Message }` errors, fault injection, a request log and job webhooks.
 * Faithful enough to run hotglue's own widget (`HotGlue.mount({ api_url: emulator.url, … })`): every call
 * the widget makes answers 200 with CORS for any origin, and the default catalogue's OAuth sources open an
 * emulated consent page at `/_oauth/authorize` (docs/emulator.md, docs/widget.md).
 *
 * ```ts
 * const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey] });
 * // point a client at emulator.url with emulator.publicApiKey / secretApiKey ...
 * await emulator.close();
 * ```
 *
 * On a loopback listener it answers only a loopback `Host` with its port (421 otherwise) and takes consent
 * decisions only from its own origin (403), so a DNS-rebinding page cannot drive it; `allowedHosts` widens
 * that behind a proxy (docs/emulator.md, "Host and Origin checks").
 *
 * Jobs advance one status per `jobStepMs` (default 1000 ms) of the emulator's `clock`: with a fake clock,
 * move it forward and the next read (or `advanceJobs()`) sees the new status.
 */
export class HotglueEmulator {
  /** The environment id every path must carry. */
  readonly envId: string;
  /** The public (widget) API key. */
  readonly publicApiKey: string;
  /** The secret (environment) API key. */
  readonly secretApiKey: string;
  /** Id of the seeded default V1 flow (the first flow whose `version` is not 2). */
  readonly defaultFlowId: string;
  /** Id of the seeded default V2 flow (the first flow with `version: 2`), or the default flow when none. */
  readonly defaultV2FlowId: string;

  private readonly options: HotglueEmulatorOptions;
  private readonly clock: () => number;
  private readonly jobStepMs: number;
  private readonly store: EmulatorStore;
  private readonly faults = new FaultQueue();
  private readonly log: RequestLog;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private notifier: WebhookNotifier | undefined;
  private readonly hosts: HostGuard;
  private readonly deps: DispatchDeps;
  private readonly credentials: EmulatedCredentials;
  private readonly providerFaults = new FaultQueue();
  private readonly providerLog: EmulatorProviderRequest[] = [];
  private readonly providerDeps: ProviderRouteDeps;
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private accepted = 0;

  constructor(options: HotglueEmulatorOptions = {}) {
    this.options = options;
    this.envId = options.envId ?? DEFAULT_EMULATOR_ENV_ID;
    this.publicApiKey = options.publicApiKey ?? randomKey('pk_emu_');
    this.secretApiKey = options.secretApiKey ?? randomKey('sk_emu_');
    if (this.publicApiKey === this.secretApiKey) {
      throw new TypeError('HotglueEmulator: publicApiKey and secretApiKey must differ.');
    }
    this.hosts = new HostGuard(options.allowedHosts);
    const requireJwt = options.requireJwt ?? true;
    if (requireJwt !== true && requireJwt !== false && requireJwt !== 'widget') {
      throw new TypeError("HotglueEmulator: requireJwt must be true, false or 'widget'.");
    }
    this.clock = options.clock ?? Date.now;
    this.jobStepMs = options.jobStepMs ?? DEFAULT_JOB_STEP_MS;
    this.store = new EmulatorStore(options.seed);
    const flows = this.store.flows;
    const v1 = flows.find((flow) => flow.version !== 2) ?? flows[0];
    const v2 = flows.find((flow) => flow.version === 2) ?? v1;
    this.defaultFlowId = v1?.id ?? DEFAULT_V1_FLOW_ID;
    this.defaultV2FlowId = v2?.id ?? DEFAULT_V2_FLOW_ID;
    this.log = new RequestLog(options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT);
    this.credentials = new EmulatedCredentials(this.store, this.clock, options.expiresInForm);
    this.providerDeps = {
      credentials: this.credentials,
      faults: this.providerFaults,
      timers: this.timers,
      log: (entry) => {
        this.providerLog.push(entry);
        if (this.providerLog.length > 10_000) this.providerLog.shift();
      },
    };
    this.seedLinks();
    if (options.webhook) this.setWebhook(options.webhook);
    this.store.onLinkChange = (change) => this.notifier?.linkChanged(change);
    const emulator = this;
    const services: RouteServices = {
      envId: this.envId,
      get baseUrl() {
        return emulator.url;
      },
      now: this.clock,
      jobStepMs: this.jobStepMs,
      jobDiscover: (flowId) => {
        const own = this.store.flow(flowId)?.jobDiscover;
        return typeof own === 'boolean' ? own : options.jobDiscover === true;
      },
      jobCreated: (record: JobRecord) => this.notifier?.track(record),
      discoverStarted: (run) => this.notifier?.discoverStarted(run),
      credentials: this.credentials,
    };
    this.deps = {
      bodies: new BodyBudget(options.maxInFlightBodyBytes ?? DEFAULT_MAX_IN_FLIGHT_BODY_BYTES),
      keys: { publicApiKey: this.publicApiKey, secretApiKey: this.secretApiKey },
      requireJwt,
      router: new Router(
        [
          ...linkedRoutes(),
          ...catalogRoutes(),
          ...jobRoutes(),
          ...tenantRoutes(),
          ...widgetRoutes(),
          ...fileRoutes(),
        ],
        this.envId,
      ),
      store: this.store,
      verifier: new TokenVerifier((options.jwtPublicKeys ?? []).map(toRsaPublicKey), this.clock),
      faults: this.faults,
      log: this.log,
      timers: this.timers,
      services,
      logger: options.logger,
      oauth: new OAuthConsent(this.store, services),
      hosts: this.hosts,
    };
  }

  /** Creates and starts an emulator. */
  static async start(options: HotglueEmulatorOptions = {}): Promise<HotglueEmulator> {
    const emulator = new HotglueEmulator(options);
    await emulator.start();
    return emulator;
  }

  /** Listens on `host:port` (default 127.0.0.1, a free port). Resolves once `url` is known. */
  async start(): Promise<this> {
    if (this.server) throw new Error('HotglueEmulator: already started.');
    const server = createServer((req, res) => {
      // Before anything else, provider pages and preflights included: a rebound name gets nothing.
      if (!this.hosts.allows(req.headers.host)) {
        refuseHost(req, res);
        this.options.logger?.(`refused ${req.method ?? 'GET'}: Host not allowed -> 421`);
        return;
      }
      if (isProviderPath(req.url)) {
        // The emulated provider API (not hotglue's): no API key, no request log, a line without the path.
        handleProviderRequest(req, res, this.providerDeps).then(
          (outcome) => this.options.logger?.(`provider ${req.method ?? 'GET'} -> ${outcome}`),
          () => {
            if (!res.headersSent && !res.destroyed) res.destroy();
          },
        );
        return;
      }
      dispatch(this.deps, req, res).catch(() => {
        // Only reachable when the client vanished mid-request; there is nobody left to answer.
        if (!res.headersSent && !res.destroyed) res.destroy();
      });
    });
    server.on('connection', (socket: Socket) => {
      this.accepted += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    this.hosts.bind(address.port, address.address);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${host}:${address.port}`;
    this.options.logger?.(`hotglue emulator listening on ${this.baseUrl} (env ${this.envId})`);
    return this;
  }

  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:54321`. Throws before `start()`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('HotglueEmulator: not started; await start() first.');
    return this.baseUrl;
  }

  /** Requests received since start (or `clearRequests()`), oldest first; tokens redacted, no API keys. */
  get requests(): readonly EmulatorRequest[] {
    return this.log.entries;
  }

  /** Empties the request log. */
  clearRequests(): void {
    this.log.clear();
  }

  /** TCP connections accepted since start (a keep-alive client should open few). */
  get connections(): number {
    return this.accepted;
  }

  /** Plays `fault` on the next `match.times` (default 1) requests matching `match` (default: any but OPTIONS). */
  injectFault(fault: EmulatorFault, match: EmulatorFaultMatch = {}): void {
    this.faults.add(fault, match);
  }

  /** Drops every fault not played yet. */
  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Links a source for (flow, tenant) as `POST linkedSources` would (catalog fields such as `label` are
   * filled in from `supportedSources`). `flowId` undefined: the default flow.
   */
  linkSource(flowId: string | undefined, tenantId: string, source: JsonObject & { tap: string }): void {
    const meta = this.store.supportedSources.find((s) => s.tap === source.tap);
    const item = { ...structuredClone(meta), ...structuredClone(source) };
    this.store.link('source', flowId ?? this.defaultFlowId, tenantId, source.tap, item);
  }

  /** Links a target for (flow, tenant), like `linkSource`. `flowId` undefined: the default flow. */
  linkTarget(flowId: string | undefined, tenantId: string, target: JsonObject & { target: string }): void {
    const meta = this.store.supportedTargets.find((t) => t.target === target.target);
    const item = { ...structuredClone(meta), ...structuredClone(target) };
    this.store.link('target', flowId ?? this.defaultFlowId, tenantId, target.target, item);
  }

  /** Links a V2 connector for (flow, tenant), like `linkSource`. `flowId` undefined: the default V2 flow. */
  linkConnector(flowId: string | undefined, tenantId: string, connector: JsonObject & { id: string }): void {
    const meta = this.store.supportedConnectors.find((c) => c.id === connector.id);
    const item = { ...structuredClone(meta), ...structuredClone(connector) };
    this.store.link('connector', flowId ?? this.defaultV2FlowId, tenantId, connector.id, item);
  }

  /**
   * Revokes the tenant's OAuth grants, as a tenant (or the provider) would: for every linked source and
   * connector of the tenant (only the one whose tap / connector id is `entity`, when given), in every flow,
   * `accesstoken` and `linkedSources?config=true` then answer 400 `Failed OAuth login: invalid_grant`, and
   * the provider API (`/_provider/{tap}/me`) refuses the access token. Linking again (a new token) undoes it.
   * Returns how many links were revoked.
   */
  revokeCredentials(tenantId: string, entity?: string): number {
    return this.credentials.revoke(tenantId, entity);
  }

  /** URL of the emulated provider API of `tap`: `GET {providerUrl}/me` with `Authorization: Bearer <token>`. */
  providerUrl(tap: string): string {
    return `${this.url}/_provider/${encodeURIComponent(tap)}`;
  }

  /**
   * A provider registry entry that sends `tap`'s calls to this emulator's provider API, for the module option
   * `providers` (`providers: { salesforce: emulator.providerEntry('salesforce') }`): base URL
   * `providerUrl(tap)` (or the credentials' `instance_url` when it is on the emulator, as the emulated consent
   * page stores it), and the emulator's exact origin allowed (a loopback http origin is allowed only
   * because it is listed exactly). Call it after `start()`.
   */
  providerEntry(tap: string): HotglueApi.HotglueProviderEntry {
    return {
      baseUrlProperties: ['instance_url'],
      baseUrl: this.providerUrl(tap),
      origins: [new URL(this.url).origin],
    };
  }

  /** `providerEntry` for every supported source's tap and connector's id: the module option `providers` as a whole. */
  providerEntries(): Record<string, HotglueApi.HotglueProviderEntry> {
    const entries: Record<string, HotglueApi.HotglueProviderEntry> = Object.create(null);
    for (const item of [...this.store.supportedSources, ...this.store.supportedConnectors]) {
      const id = typeof item.tap === 'string' ? item.tap : item.id;
      if (typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id))
        entries[id] = this.providerEntry(id);
    }
    return { ...entries };
  }

  /**
   * The provider rotates the tenant's access token of `tap` (every tap when omitted): hotglue's stored config
   * holds a new token, and the provider API answers 401 to the old one until the client fetches the
   * credentials again. Returns how many links were rotated.
   */
  rotateProviderToken(tenantId: string, tap?: string): number {
    return this.credentials.rotate(tenantId, tap);
  }

  /**
   * Plays `fault` on the next `match.times` (default 1) requests to the emulated provider API of `tap` that
   * carry a valid token (`method` narrows it; `path` is ignored). E.g. `{ kind: 'status', status: 429,
   * retryAfter: 1 }`, `{ kind: 'status', status: 503 }`, `{ kind: 'status', status: 401 }` (the provider
   * refuses even a fresh token), `{ kind: 'stall-headers', ms }`, `{ kind: 'oversize', bytes }`,
   * `{ kind: 'redirect', location }`.
   */
  injectProviderFault(tap: string, fault: EmulatorFault, match: Omit<EmulatorFaultMatch, 'path'> = {}): void {
    const escaped = tap.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.providerFaults.add(fault, { ...match, path: new RegExp(`^/_provider/${escaped}(?:/|$)`) });
  }

  /** Requests the emulated provider API received, oldest first (never a token). */
  get providerRequests(): readonly EmulatorProviderRequest[] {
    return this.providerLog;
  }

  /** Empties `providerRequests` and drops provider faults not played yet. */
  resetProvider(): void {
    this.providerLog.length = 0;
    this.providerFaults.clear();
  }

  /** Adds or replaces a tenant (and its config, returned by `GET /tenant/{env}/{tenant}/config`). */
  setTenant(tenantId: string, config?: JsonObject): void {
    this.store.tenants.set(tenantId, config === undefined ? { id: tenantId } : { id: tenantId, config });
  }

  /** The current JSON of every job, oldest first (statuses as of the emulator clock). */
  jobs(): JsonObject[] {
    const now = this.clock();
    return [...this.store.allJobs()].map((record) => jobView(record, now, this.jobStepMs));
  }

  /**
   * Makes a running job end in `failure` instead of completing (e.g. `SYNC_FAILED` right after
   * `SYNC_STARTED`). `job` is the job's `s3_root` or `job_id`. Throws if no such job is still running.
   */
  failJob(job: string, failure: JobFailure): void {
    const now = this.clock();
    const record = [...this.store.allJobs()].find((r) => r.s3Root === job || r.job.job_id === job);
    if (!record || progressOf(record, now, this.jobStepMs).done) {
      throw new Error('HotglueEmulator.failJob: no running job with that s3_root or job_id.');
    }
    const step = failureStep(failure, record.discover === true);
    if (step === undefined) {
      throw new Error(
        'HotglueEmulator.failJob: the job runs no discover stage; set jobDiscover (emulator option or flow) for DISCOVER_FAILED.',
      );
    }
    if (step <= progressOf(record, now, this.jobStepMs).step) {
      throw new Error('HotglueEmulator.failJob: the job is already past that stage.');
    }
    record.failure = failure;
  }

  /**
   * Sends the webhooks for every job status reached on the clock so far and waits for their delivery.
   * Not needed for status reads (they always reflect the clock); useful with a fake clock and webhooks.
   */
  async advanceJobs(): Promise<void> {
    this.notifier?.sync();
    await this.notifier?.flush();
  }

  /**
   * Points webhooks at `webhook` from now on (or stops them with `undefined`), e.g. once the receiving app
   * listens and its URL is known. Deliveries already queued still go to the previous URL.
   */
  setWebhook(webhook: EmulatorWebhookSettings | undefined): void {
    this.notifier?.close();
    this.notifier = webhook
      ? new WebhookNotifier(webhook, this.envId, this.clock, this.jobStepMs, (line) =>
          this.options.logger?.(line),
        )
      : undefined;
  }

  /** Every webhook POST made since the webhook was set, oldest first, with the receiver's answer. */
  get webhookDeliveries(): readonly EmulatorWebhookDelivery[] {
    return this.notifier?.deliveries ?? [];
  }

  /**
   * Plays `fault` on the next `times` (default 1) webhook deliveries: `duplicate` (sent twice at once),
   * `out-of-order` (held back until the next one was sent), `bad-signature` (signed with a wrong secret).
   */
  injectWebhookFault(fault: EmulatorWebhookFault, times = 1): void {
    if (!this.notifier) throw new Error('HotglueEmulator.injectWebhookFault: no webhook is set.');
    this.notifier.injectFault(fault, times);
  }

  /** Closes the server and every socket (stalled ones included), cancels timers and webhook deliveries. */
  async close(): Promise<void> {
    this.notifier?.close();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private seedLinks(): void {
    const seed = this.options.seed ?? {};
    for (const s of seed.linkedSources ?? []) this.linkSource(s.flowId, s.tenantId, s.source);
    for (const t of seed.linkedTargets ?? []) this.linkTarget(t.flowId, t.tenantId, t.target);
    for (const c of seed.linkedConnectors ?? []) this.linkConnector(c.flowId, c.tenantId, c.connector);
  }
}
