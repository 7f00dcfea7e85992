import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { freePort } from './ports.js';

/**
 * Whether Debian's redis-server is installed (`.ci/run` installs it; see docs/architecture.md,
 * "Tests and checks").
 */
export const redisAvailable = spawnSync('redis-server', ['--version']).status === 0;

export interface RedisServer {
  url: string;
  /**
   * Freezes the process (SIGSTOP), as a paused primary or a network black hole looks: the
   * kernel still accepts connections and takes bytes, and nothing answers.
   */
  pause(): void;
  /** Lets a paused server carry on (SIGCONT). */
  resume(): void;
  stop(): Promise<void>;
}

/**
 * A throwaway redis-server on a loopback port (a free one by default), with persistence off;
 * `options` adds to its command line, such as `--requirepass x`.
 */
export async function startRedis(port?: number, options: string[] = []): Promise<RedisServer> {
  port ??= await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...options],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    // A test may stop its Redis itself before cleanup stops it again.
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGCONT'); // a paused process would hold SIGTERM until resumed
        child.kill('SIGTERM');
      }),
  };
}

export interface SilentServer {
  url: string;
  /** Connections open to it now. */
  connections(): number;
  stop(): Promise<void>;
}

/** A TCP server that accepts connections and never answers, to stand at REDIS_URL. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.resume(); // reads and drops what comes, so that a client closing is seen
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    connections: () => sockets.size,
    stop() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
