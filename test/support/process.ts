import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports.js';
import { sleep } from './wait.js';

const ROOT = new URL('../../', import.meta.url);

/** The built gateway (`node dist/index.js`, compiled by test/support/buildOnce.js) as a process. */
export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** Everything it wrote so far, per stream (stdout only once it is being read). */
  stdout(): string;
  stderr(): string;
  /** Starts reading stdout, for a gateway started with `unreadStdout`. */
  readStdout(): void;
  /** Sends SIGTERM and resolves with the exit code, or `undefined` if it outlived `withinMs`. */
  terminate(withinMs: number): Promise<number | null | undefined>;
}

export interface ProcessOptions {
  env?: Record<string, string>;
  /** Wraps the command line, for example in `script` to give the gateway a terminal. */
  command?: (argv: string[]) => string[];
  /** Leaves stdout a pipe that nobody reads (a stuck log shipper) until `readStdout()`. */
  unreadStdout?: boolean;
}

const started = new Set<ChildProcess>();

/** Kills whatever a test left running (one that failed before its own SIGTERM), for afterEach. */
export function stopGatewayProcesses(): void {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  started.clear();
}

/** Starts the gateway on demo data (nothing configured) and waits until it is ready. */
export async function startGatewayProcess(options: ProcessOptions = {}): Promise<GatewayProcess> {
  const { child, port, out, err, readStdout, exited } = await spawnGateway(options);
  const base = `http://localhost:${port}`;
  await ready(base, child, err);
  return {
    child,
    url: `${base}/graphql`,
    stdout: out,
    stderr: err,
    readStdout,
    async terminate(withinMs) {
      child.kill('SIGTERM');
      const timer = new Promise<undefined>((resolve) => {
        setTimeout(() => resolve(undefined), withinMs).unref();
      });
      const code = await Promise.race([exited, timer]);
      if (code === undefined) child.kill('SIGKILL');
      return code;
    },
  };
}

/** Runs a gateway that is expected to stop at boot, and resolves with how it ended. */
export async function failedGatewayStart(
  options: ProcessOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { child, out, err } = await spawnGateway(options);
  // 'close', not 'exit': by then everything it wrote has been read.
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout: out(), stderr: err() };
}

async function spawnGateway(options: ProcessOptions) {
  const port = await freePort();
  const argv = [process.execPath, 'dist/index.js'];
  const [file, ...args] = options.command ? options.command(argv) : argv;
  const child = spawn(file as string, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let out = '';
  let err = '';
  const readStdout = () => child.stdout?.setEncoding('utf8').on('data', (chunk) => (out += chunk));
  if (!options.unreadStdout) readStdout();
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, port, out: () => out, err: () => err, readStdout, exited };
}

async function ready(base: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`the gateway exited ${child.exitCode}: ${stderr()}`);
    const answer = await fetch(`${base}/readyz`).catch(() => undefined);
    if (answer?.ok) return;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`the gateway was not ready in time: ${stderr()}`);
}
