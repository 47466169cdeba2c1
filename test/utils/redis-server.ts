import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

/** Whether a `redis-server` binary is on the PATH. */
export function redisServerAvailable(): boolean {
  return (
    spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
  );
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(200);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      // A server with requirepass answers PING with NOAUTH: it is up all the same.
      const answer = data.toString();
      resolve(answer.startsWith('+PONG') || answer.startsWith('-NOAUTH'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * A private redis-server for tests, on its own port, keeping nothing on disk. Tests never touch a shared Redis's
 * other data: they use a unique key prefix on a shared one, or one of these.
 */
export class PrivateRedis {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[],
  ) {}

  /** Starts a server on `port` (default a free one); `extraArgs` are more redis-server options (`--requirepass`). */
  static async start(
    port?: number,
    extraArgs: readonly string[] = [],
  ): Promise<PrivateRedis> {
    const redis = new PrivateRedis(port ?? (await freePort()), extraArgs);
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** (Re)starts the server on the same port and waits until it answers PING. */
  async restart(): Promise<void> {
    if (this.process) await this.stop();
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        '/tmp',
        ...this.extraArgs,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if (await answersPing(this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** Kills the server (SIGKILL: like a crash, no goodbye to clients) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
