import {
  defaultFlows,
  defaultPreferences,
  defaultSupportedConnectors,
  defaultSupportedSources,
  defaultSupportedTargets,
} from './default-seed.js';
import type { EmulatorFlow, EmulatorTenant, HotglueEmulatorSeed, JsonObject } from './emulator-options.js';
import { type JobFailure, type JobProgress, jobProgress } from './job-lifecycle.js';

/** What kind of thing is linked to a (flow, tenant): they live in separate maps, keyed by their name/id. */
export type LinkKind = 'source' | 'target' | 'connector';

/** One job as the emulator keeps it; its status is derived from the clock on every read. */
export interface JobRecord {
  /** The Job JSON without `status` / `last_updated`, which `jobView` adds. */
  readonly job: JsonObject;
  readonly flowId: string;
  readonly tenantId: string;
  readonly s3Root: string;
  readonly createdAt: number;
  failure?: JobFailure;
  /** Highest step a webhook was sent for (-1: none yet). */
  notifiedStep: number;
}

/** One file the widget uploaded (`POST …/taps/file`); the bytes are counted and hashed, not kept. */
export interface UploadedFile extends JsonObject {
  name: string;
  size: number;
  type: string;
  sha256: string;
  uploaded_at: string;
}

/** A link created, overwritten or removed: what a connection webhook reports. */
export interface LinkChange {
  readonly kind: LinkKind;
  readonly action: 'created' | 'updated' | 'removed';
  readonly flowId: string;
  readonly tenantId: string;
  /** The tap, target name or connector id. */
  readonly name: string;
}

/** An async real-time write: its result, ready once the emulator clock reaches `readyAt`. */
export interface WriteRecord {
  readonly result: JsonObject;
  readonly readyAt: number;
}

/** Separator-free composite key: JSON keeps ids with any characters (`/`, NUL, ...) apart. */
const key = (...parts: string[]) => JSON.stringify(parts);

/**
 * The emulator's in-memory state, one per instance. Plain maps and arrays: handlers read and change it
 * directly; nothing here knows HTTP.
 */
export class EmulatorStore {
  readonly flows: EmulatorFlow[];
  readonly supportedSources: JsonObject[];
  readonly supportedTargets: JsonObject[];
  readonly supportedConnectors: JsonObject[];
  readonly tenants = new Map<string, EmulatorTenant>();
  /** What `GET /{env}/preferences` answers. */
  readonly preferences: JsonObject;
  private readonly links: Record<LinkKind, Map<string, Map<string, JsonObject>>> = {
    source: new Map(),
    target: new Map(),
    connector: new Map(),
  };
  private readonly connectorStates = new Map<string, JsonObject>();
  private readonly sourceStates = new Map<string, JsonObject>();
  private readonly schedules = new Map<string, JsonObject>();
  private readonly jobsByFlowTenant = new Map<string, JobRecord[]>();
  private readonly jobsByRoot = new Map<string, JobRecord>();
  private readonly mappings = new Map<string, JsonObject>();
  private readonly metadata = new Map<string, JsonObject>();
  private readonly uploads = new Map<string, UploadedFile[]>();
  private readonly tapFiles = new Map<string, unknown[]>();
  private readonly discoveries = new Map<string, number>();
  private readonly writeResults = new Map<string, WriteRecord>();
  /**
   * Told of every link change. Every route and helper that links or unlinks goes through `link` / `unlink`,
   * so connection webhooks need no other hook.
   */
  onLinkChange: ((change: LinkChange) => void) | undefined;

  constructor(seed: HotglueEmulatorSeed = {}) {
    this.flows = structuredClone(seed.flows ?? defaultFlows());
    this.supportedSources = structuredClone(seed.supportedSources ?? defaultSupportedSources());
    this.supportedTargets = structuredClone(seed.supportedTargets ?? defaultSupportedTargets());
    this.supportedConnectors = structuredClone(seed.supportedConnectors ?? defaultSupportedConnectors());
    this.preferences = structuredClone(seed.preferences ?? defaultPreferences());
    for (const tenant of seed.tenants ?? []) this.tenants.set(tenant.id, structuredClone(tenant));
  }

  /** The flow with this id, if the environment has it. */
  flow(flowId: string): EmulatorFlow | undefined {
    return this.flows.find((flow) => flow.id === flowId);
  }

  /** Records that a tenant exists (hotglue creates tenants implicitly on first link or job). */
  touchTenant(tenantId: string): void {
    if (!this.tenants.has(tenantId)) this.tenants.set(tenantId, { id: tenantId });
  }

  /** Linked items of one kind for (flow, tenant), in link order. */
  linked(kind: LinkKind, flowId: string, tenantId: string): JsonObject[] {
    const map = this.links[kind].get(key(flowId, tenantId));
    return map ? [...map.values()] : [];
  }

  /** One linked item by its name (`tap`, `target`) or id (connector). */
  linkedOne(kind: LinkKind, flowId: string, tenantId: string, name: string): JsonObject | undefined {
    return this.links[kind].get(key(flowId, tenantId))?.get(name);
  }

  /**
   * Links (or overwrites) an item; returns the stored object. Every link change (API, seed, consent page)
   * goes through here or `unlink`, so store-level observers see them all. The item gets `tenant_id`: the
   * widget drops linked items whose `tenant_id` is not the tenant it asked for (see docs/hotglue-reference.md).
   */
  link(kind: LinkKind, flowId: string, tenantId: string, name: string, item: JsonObject): JsonObject {
    const k = key(flowId, tenantId);
    let map = this.links[kind].get(k);
    if (!map) {
      map = new Map();
      this.links[kind].set(k, map);
    }
    const action = map.has(name) ? 'updated' : 'created';
    const stored = { ...item, tenant_id: tenantId };
    map.set(name, stored);
    this.touchTenant(tenantId);
    this.onLinkChange?.({ kind, action, flowId, tenantId, name });
    return stored;
  }

  /** Removes a link; false when it did not exist. */
  unlink(kind: LinkKind, flowId: string, tenantId: string, name: string): boolean {
    const removed = this.links[kind].get(key(flowId, tenantId))?.delete(name) ?? false;
    if (removed && kind === 'connector') this.connectorStates.delete(key(flowId, tenantId, name));
    if (removed && kind === 'source') this.sourceStates.delete(key(flowId, tenantId, name));
    if (removed) this.discoveries.delete(key(kind, flowId, tenantId, name));
    if (removed) this.onLinkChange?.({ kind, action: 'removed', flowId, tenantId, name });
    return removed;
  }

  /** Flows (in environment order) in which the tenant has this source, target or connector linked. */
  flowsLinking(tenantId: string, name: string): EmulatorFlow[] {
    return this.flows.filter((flow) =>
      (['source', 'target', 'connector'] as const).some((kind) =>
        this.linkedOne(kind, flow.id, tenantId, name),
      ),
    );
  }

  /**
   * Records a discover run on a linked item: its catalog is set now (a discovered catalog is not a link
   * change), and `discoverStartedAt` tells the poll route how long ago it started.
   */
  startDiscover(
    kind: LinkKind,
    flowId: string,
    tenantId: string,
    name: string,
    catalog: JsonObject,
    at: number,
  ): void {
    const item = this.linkedOne(kind, flowId, tenantId, name);
    if (!item) return;
    item.catalog = catalog;
    this.discoveries.set(key(kind, flowId, tenantId, name), at);
  }

  /** When the last discover of a linked item started (emulator clock), if one ran. */
  discoverStartedAt(kind: LinkKind, flowId: string, tenantId: string, name: string): number | undefined {
    return this.discoveries.get(key(kind, flowId, tenantId, name));
  }

  /** The tenant's mapping (`tenant/{env}/{tenant}/mapping`), `{}` when none was saved. */
  tenantMapping(tenantId: string): JsonObject {
    return this.mappings.get(tenantId) ?? {};
  }

  setTenantMapping(tenantId: string, mapping: JsonObject): void {
    this.mappings.set(tenantId, mapping);
    this.touchTenant(tenantId);
  }

  /** The tenant's metadata (`PUT tenant/{env}/{tenant}/metadata`), `{}` when none was saved. */
  tenantMetadata(tenantId: string): JsonObject {
    return this.metadata.get(tenantId) ?? {};
  }

  setTenantMetadata(tenantId: string, metadata: JsonObject): void {
    this.metadata.set(tenantId, metadata);
    this.touchTenant(tenantId);
  }

  /** Files uploaded for (flow, tenant) through the widget's "file" source, oldest first. */
  uploadedFiles(flowId: string, tenantId: string): UploadedFile[] {
    return [...(this.uploads.get(key(flowId, tenantId)) ?? [])];
  }

  addUploadedFiles(flowId: string, tenantId: string, files: UploadedFile[]): void {
    const k = key(flowId, tenantId);
    this.uploads.set(k, [...(this.uploads.get(k) ?? []), ...files]);
  }

  clearUploadedFiles(flowId: string, tenantId: string): void {
    this.uploads.delete(key(flowId, tenantId));
  }

  /** Files picked for an sftp / sheets source (`…/taps/{tap}/files`). */
  pickedFiles(flowId: string, tenantId: string, tap: string): unknown[] {
    return [...(this.tapFiles.get(key(flowId, tenantId, tap)) ?? [])];
  }

  setPickedFiles(flowId: string, tenantId: string, tap: string, files: unknown[]): void {
    this.tapFiles.set(key(flowId, tenantId, tap), [...files]);
  }

  /** Flow ids in which the tenant has anything linked. */
  linkedFlowIds(tenantId: string): Set<string> {
    const ids = new Set<string>();
    for (const flow of this.flows) {
      for (const kind of ['source', 'target', 'connector'] as const) {
        if ((this.links[kind].get(key(flow.id, tenantId))?.size ?? 0) > 0) ids.add(flow.id);
      }
    }
    return ids;
  }

  connectorState(flowId: string, tenantId: string, connectorId: string): JsonObject | undefined {
    return this.connectorStates.get(key(flowId, tenantId, connectorId));
  }

  setConnectorState(
    flowId: string,
    tenantId: string,
    connectorId: string,
    state: JsonObject | undefined,
  ): void {
    const k = key(flowId, tenantId, connectorId);
    if (state === undefined) this.connectorStates.delete(k);
    else this.connectorStates.set(k, state);
  }

  /** A V1 source's incremental state (`…/linkedSources/state?tap_name=`), if one was recorded. */
  sourceState(flowId: string, tenantId: string, tap: string): JsonObject | undefined {
    return this.sourceStates.get(key(flowId, tenantId, tap));
  }

  setSourceState(flowId: string, tenantId: string, tap: string, state: JsonObject | undefined): void {
    const k = key(flowId, tenantId, tap);
    if (state === undefined) this.sourceStates.delete(k);
    else this.sourceStates.set(k, state);
  }

  schedule(flowId: string, tenantId: string): JsonObject | undefined {
    return this.schedules.get(key(flowId, tenantId));
  }

  setSchedule(flowId: string, tenantId: string, schedule: JsonObject | undefined): void {
    const k = key(flowId, tenantId);
    if (schedule === undefined) this.schedules.delete(k);
    else this.schedules.set(k, schedule);
  }

  /** Keeps an async real-time write's result for `GET …/connectors/status?taskId=`. */
  addWriteResult(flowId: string, tenantId: string, taskId: string, record: WriteRecord): void {
    this.writeResults.set(key(flowId, tenantId, taskId), record);
  }

  /** The async write `taskId` of (flow, tenant), if one was made: another tenant's task is unknown here. */
  writeResult(flowId: string, tenantId: string, taskId: string): WriteRecord | undefined {
    return this.writeResults.get(key(flowId, tenantId, taskId));
  }

  /** True when an s3_root is taken (job ids are short and may collide; roots must not). */
  hasJobRoot(s3Root: string): boolean {
    return this.jobsByRoot.has(s3Root);
  }

  addJob(record: JobRecord): void {
    const k = key(record.flowId, record.tenantId);
    const list = this.jobsByFlowTenant.get(k) ?? [];
    list.push(record);
    this.jobsByFlowTenant.set(k, list);
    this.jobsByRoot.set(record.s3Root, record);
    this.touchTenant(record.tenantId);
  }

  /** Jobs of (flow, tenant), newest first. */
  jobs(flowId: string, tenantId: string): JobRecord[] {
    return [...(this.jobsByFlowTenant.get(key(flowId, tenantId)) ?? [])].reverse();
  }

  jobByRoot(s3Root: string): JobRecord | undefined {
    return this.jobsByRoot.get(s3Root);
  }

  /** Every job, oldest first (the webhook notifier walks them). */
  allJobs(): IterableIterator<JobRecord> {
    return this.jobsByRoot.values();
  }
}

/** Where a job stands at `now`. */
export function progressOf(record: JobRecord, now: number, stepMs: number): JobProgress {
  return jobProgress(now - record.createdAt, stepMs, record.failure);
}

/** The Job JSON at `now`: stored fields plus the clock-derived `status` and `last_updated`. */
export function jobView(record: JobRecord, now: number, stepMs: number): JsonObject {
  const progress = progressOf(record, now, stepMs);
  return {
    ...record.job,
    status: progress.status,
    last_updated: new Date(record.createdAt + progress.step * stepMs).toISOString(),
  };
}
