import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether Debian's `redis-server` and `redis-cli` (package `redis-tools`, a dependency of `redis-server`)
 * are installed. In CI (`.ci/run` installs them) a missing one is an error, not a skip.
 */
export function hasRedisCluster(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    execFileSync('redis-cli', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error('redis-server / redis-cli missing; .ci/run installs redis-server.');
    return false;
  }
}

/** `count` distinct free loopback ports (all held open until every one is picked). */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      servers.push(server);
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** Parses `INFO` / `CLUSTER INFO` text into fields. */
export function infoFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

/** One line of `CLUSTER NODES`. */
interface ClusterNodeLine {
  readonly id: string;
  readonly port: number;
  readonly master: boolean;
  /** The master's id, for a replica. */
  readonly masterId: string | undefined;
}

function parseNodes(text: string): ClusterNodeLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, address, flags, masterId] = line.split(' ') as [string, string, string, string];
      return {
        id,
        port: Number(address.split('@')[0]!.split(':')[1]),
        master: flags.split(',').includes('master'),
        masterId: masterId === '-' ? undefined : masterId,
      };
    });
}

/** What a coordinated failover did. */
export interface FailoverReport {
  /** The replica that became master. */
  readonly promoted: number;
  /** The master that became its replica. */
  readonly demoted: number;
  /** The master's replication offset the replica had reached before `CLUSTER FAILOVER` was sent. */
  readonly caughtUpTo: number;
}

/**
 * A real Redis Cluster on loopback: `masters` redis-server processes in cluster mode plus one replica each,
 * without persistence, each with its own nodes file in one temp dir, joined with `redis-cli --cluster
 * create --cluster-replicas 1`. `stop()` kills every process and removes the dir; it runs at process exit
 * too, so a failed spec leaves nothing behind.
 */
export class TestRedisCluster {
  private readonly children = new Map<number, ChildProcess>();
  private readonly admins = new Map<number, Redis>();
  private readonly onExit = () => this.killNow();
  private stopped = false;

  private constructor(
    readonly dir: string,
    /** Client ports of every node (masters first, as `--cluster create` was given them). */
    readonly ports: readonly number[],
    private readonly busPorts: readonly number[],
  ) {}

  /** Startup nodes for ioredis `Cluster`. */
  get nodes(): Array<{ host: string; port: number }> {
    return this.ports.map((port) => ({ host: '127.0.0.1', port }));
  }

  static async start(masters = 3): Promise<TestRedisCluster> {
    const count = masters * 2;
    const ports = await freePorts(count * 2);
    const cluster = new TestRedisCluster(
      mkdtempSync(join(tmpdir(), 'hotglue-redis-cluster-')),
      ports.slice(0, count),
      ports.slice(count),
    );
    process.once('exit', cluster.onExit);
    try {
      await cluster.boot();
      return cluster;
    } catch (error) {
      const logs = cluster.ports
        .map((port) => {
          try {
            return `--- ${port}\n${readFileSync(join(cluster.dir, `${port}.log`), 'utf8').slice(-2000)}`;
          } catch {
            return '';
          }
        })
        .join('\n');
      await cluster.stop();
      throw new Error(`Redis Cluster did not start: ${(error as Error).message}\n${logs}`);
    }
  }

  private async boot(): Promise<void> {
    this.ports.forEach((port, i) => {
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          // The bus port is picked free too: the default (port + 10000) may be taken or past 65535.
          '--cluster-port',
          String(this.busPorts[i]),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(this.dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '5000',
          '--dir',
          this.dir,
          '--save',
          '',
          '--appendonly',
          'no',
          // Replicas sync at once instead of waiting 5 s for more replicas to join a diskless transfer.
          '--repl-diskless-sync-delay',
          '0',
          '--loglevel',
          'notice',
          '--logfile',
          join(this.dir, `${port}.log`),
        ],
        { stdio: 'ignore' },
      );
      this.children.set(port, child);
    });
    for (const port of this.ports) {
      const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
      admin.on('error', () => undefined);
      this.admins.set(port, admin);
      await this.until(`node ${port} answers`, async () => {
        const child = this.children.get(port)!;
        if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited with ${child.exitCode}`);
        if (admin.status === 'wait' || admin.status === 'end') await admin.connect().catch(() => undefined);
        return (await admin.ping().catch(() => '')) === 'PONG';
      });
    }
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...this.ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    await this.untilStable();
  }

  /** An admin connection to one node (not a cluster client: commands go to that node only). */
  node(port: number): Redis {
    const admin = this.admins.get(port);
    if (!admin) throw new Error(`no node on port ${port}`);
    return admin;
  }

  /** Current masters and their replica, as every node agrees. */
  async topology(): Promise<Array<{ master: number; replica: number }>> {
    const lines = parseNodes((await this.node(this.ports[0]!).call('CLUSTER', 'NODES')) as string);
    return lines
      .filter((line) => line.master)
      .map((master) => ({
        master: master.port,
        replica: lines.find((line) => line.masterId === master.id)!.port,
      }))
      .sort((a, b) => a.master - b.master);
  }

  /**
   * Waits until every node reports `cluster_state:ok` with all slots served and all nodes known, every
   * node's `CLUSTER NODES` shows the same masters, and every replica is linked and synced.
   */
  async untilStable(): Promise<void> {
    await this.until('the cluster is stable', async () => {
      const views = new Set<string>();
      for (const port of this.ports) {
        const info = infoFields((await this.node(port).call('CLUSTER', 'INFO')) as string);
        if (info.cluster_state !== 'ok' || info.cluster_slots_ok !== '16384') return false;
        if (info.cluster_known_nodes !== String(this.ports.length)) return false;
        const lines = parseNodes((await this.node(port).call('CLUSTER', 'NODES')) as string);
        views.add(
          lines
            .filter((line) => line.master)
            .map((line) => line.port)
            .sort()
            .join(),
        );
        const replication = infoFields(await this.node(port).info('replication'));
        if (
          replication.role === 'slave' &&
          (replication.master_link_status !== 'up' || replication.master_sync_in_progress !== '0')
        )
          return false;
      }
      return views.size === 1 && [...views][0]!.split(',').length === this.ports.length / 2;
    });
  }

  /**
   * A coordinated failover of `master`: waits until its replica has reached the master's current
   * replication offset (`INFO replication`), sends `CLUSTER FAILOVER` to the replica (which pauses the
   * master's writers until it has every write, then takes over), and waits until the roles switched and the
   * whole cluster agrees again.
   */
  async failover(master: number): Promise<FailoverReport> {
    const pair = (await this.topology()).find((entry) => entry.master === master);
    if (!pair) throw new Error(`${master} is not a master`);
    // A manual failover the replica cannot finish in 5 s (a loaded machine) is aborted by Redis: try again.
    for (let attempt = 1; ; attempt++) {
      const masterOffset = Number(infoFields(await this.node(master).info('replication')).master_repl_offset);
      const role = (await this.node(pair.replica).call('ROLE')) as [string];
      // Unless an earlier attempt finished late after all.
      if (role[0] !== 'master') {
        await this.until(`replica ${pair.replica} catches up with ${master}`, async () => {
          const replication = infoFields(await this.node(pair.replica).info('replication'));
          return (
            replication.master_link_status === 'up' && Number(replication.slave_repl_offset) >= masterOffset
          );
        });
        const answer = await this.node(pair.replica).call('CLUSTER', 'FAILOVER');
        if (answer !== 'OK') throw new Error(`CLUSTER FAILOVER answered ${String(answer)}`);
      }
      try {
        await this.until(
          `replica ${pair.replica} takes over from ${master}`,
          async () => {
            const promoted = (await this.node(pair.replica).call('ROLE')) as [string];
            const demoted = (await this.node(master).call('ROLE')) as [string];
            return promoted[0] === 'master' && demoted[0] === 'slave';
          },
          attempt < 3 ? 8_000 : 20_000,
        );
      } catch (error) {
        if (attempt < 3) continue;
        throw error;
      }
      await this.untilStable();
      return { promoted: pair.replica, demoted: master, caughtUpTo: masterOffset };
    }
  }

  private async until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await sleep(50);
    }
  }

  /** Kills every node (SIGKILL: nothing to persist) and removes the temp dir. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    for (const admin of this.admins.values()) admin.disconnect();
    const exits = [...this.children.values()]
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => once(child, 'exit'));
    this.killNow();
    await Promise.all(exits);
    process.removeListener('exit', this.onExit);
  }

  private killNow(): void {
    this.stopped = true;
    for (const child of this.children.values()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
