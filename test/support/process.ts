import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

const ROOT = new URL('../../', import.meta.url);

/** The built gateway (`node dist/index.js`, compiled by test/support/buildOnce.js) as a process. */
export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** Everything it wrote so far, per stream. */
  stdout(): string;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code, or `undefined` if it outlived `withinMs`. */
  terminate(withinMs: number): Promise<number | null | undefined>;
}

/**
 * Starts the gateway, on demo data unless `env` configures a Stats API, and waits until it
 * prints `readyText` (its demo banner by default). `command` wraps it, for example in `script`
 * to give it a terminal.
 */
export async function startGatewayProcess(
  options: {
    env?: Record<string, string>;
    command?: (argv: string[]) => string[];
    readyText?: string;
  } = {},
): Promise<GatewayProcess> {
  const readyText = options.readyText ?? 'Demo token';
  const port = await freePort();
  const argv = [process.execPath, 'dist/index.js'];
  const [file, ...args] = options.command ? options.command(argv) : argv;
  const child = spawn(file as string, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitFor(() => out.includes(readyText) || child.exitCode !== null, 15_000);
  } catch (error) {
    child.kill('SIGKILL'); // never leave a gateway running behind a failed test
    throw error;
  }
  if (child.exitCode !== null) throw new Error(`the gateway exited ${child.exitCode}: ${err}`);
  return {
    child,
    url: `http://localhost:${port}/graphql`,
    stdout: () => out,
    stderr: () => err,
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
