import { Buffer } from 'node:buffer';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

// The benchmark's child processes: each in a process group of its own, tracked from spawn to
// exit, and killed (group and all) when the runner exits for any reason. The stand-in and the
// load generator also exit when their standard input closes; the gateway is started under
// `setpriv --pdeathsig` where available, so it gets SIGTERM even if the runner is killed hard.
// The gateway writes to a file, not a pipe to the runner: pino, logging to a pipe whose reader
// has gone and exiting straight after, never exits (sonic-boom's flushSync retries EPIPE forever).

const children = new Set();
const PDEATHSIG = spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout?.includes(
  '--pdeathsig',
);

process.on('exit', () => {
  for (const child of children) kill(child, 'SIGKILL');
});

function kill(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts `node <args>` as a named child. Its output goes to `logFile` when given; otherwise its
 * lines can be awaited with `child.firstLine()`. Either way `child.tail()` gives the last 40
 * lines, for error messages.
 */
export function startNode(name, args, { env = process.env, dieWithParent = false, logFile } = {}) {
  const command = dieWithParent && PDEATHSIG ? 'setpriv' : process.execPath;
  const argv =
    command === 'setpriv' ? ['--pdeathsig', 'SIGTERM', '--', process.execPath, ...args] : args;
  const out = logFile === undefined ? 'pipe' : openSync(logFile, 'w');
  const child = spawn(command, argv, { env, detached: true, stdio: ['pipe', out, out] });
  if (typeof out === 'number') closeSync(out);
  children.add(child);
  const tail = [];
  const listeners = new Set();
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      for (const listener of listeners) listener(line);
    });
  }
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  child.label = name;
  child.tail = () =>
    logFile === undefined
      ? tail.join('\n')
      : readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
  /** The first output line that `parse` accepts (returns non-undefined for). */
  child.firstLine = (parse, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
      const fail = (why) => {
        clearTimeout(timer);
        listeners.delete(listener);
        reject(new Error(`${name}: ${why}. Its output:\n${child.tail()}`));
      };
      const listener = (line) => {
        const value = parse(line);
        if (value === undefined) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(value);
      };
      listeners.add(listener);
      child.exited.then(({ code, signal }) => fail(`exited (${signal ?? code})`));
    });
  return child;
}

/** SIGTERM to the child's group, then SIGKILL if it has not exited within `graceMs`. */
export async function stop(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exited;
  kill(child, 'SIGTERM');
  child.stdin.end();
  const outcome = await Promise.race([child.exited, sleep(graceMs).then(() => null)]);
  if (outcome) return outcome;
  kill(child, 'SIGKILL');
  return child.exited;
}

export function killAll() {
  for (const child of children) kill(child, 'SIGKILL');
}

/** A loopback port free right now (the gateway's PORT). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One HTTP exchange over a fresh connection: { status, body } with the body as text. */
export function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${url}: no answer in 30 s`)));
    req.end(body);
  });
}

/** Polls `url` until it answers 200, or fails with the child's output. */
export async function waitUntilReady(child, url, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const answer = await request(url).catch(() => undefined);
    if (answer?.status === 200) return;
    await sleep(50);
  }
  throw new Error(`${child.label} did not become ready at ${url}. Its output:\n${child.tail()}`);
}
