import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether Debian's `redis-server` is installed (`.ci/run` installs it; locally `apt-get install redis-server`). */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error('redis-server is not installed; .ci/run installs it with apt-get.');
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('redis-server did not start listening');
}

/** Persistence of a `TestRedisServer`: none by default; `appendonly` fsyncs every write (`appendfsync always`). */
export interface TestRedisServerOptions {
  readonly appendonly?: boolean;
}

/**
 * A real redis-server on a free loopback port, without persistence unless asked; `stop()` and `start()`
 * again on the same port (and, with `appendonly`, the same data directory).
 */
export class TestRedisServer {
  private child: ChildProcess | undefined;
  private readonly dir: string | undefined;

  private constructor(
    readonly port: number,
    options: TestRedisServerOptions = {},
  ) {
    this.dir = options.appendonly ? mkdtempSync(join(tmpdir(), 'hotglue-redis-aof-')) : undefined;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: TestRedisServerOptions = {}): Promise<TestRedisServer> {
    const server = new TestRedisServer(await freePort(), options);
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...(this.dir
          ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir]
          : ['--appendonly', 'no']),
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    await waitForPort(this.port, child);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  /** Stops the server and removes its data directory (appendonly servers). */
  async destroy(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
