import { readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';
import { freePort, request, startNode, stop, waitUntilReady } from './processes.mjs';

// The two servers under test, each a process of its own: the stand-in Stats API (standIn.mjs)
// and the gateway, run as an operator runs it.

/** The stand-in answering after `latencyMs`: { child, latencyMs, url, origin, control }. */
export async function startStandIn(latencyMs) {
  const child = startNode(`stand-in (${latencyMs} ms)`, ['bench/standIn.mjs', String(latencyMs)]);
  const ready = await child.firstLine((line) => {
    try {
      return JSON.parse(line);
    } catch {
      return undefined;
    }
  });
  return {
    child,
    latencyMs,
    url: ready.url,
    origin: new URL(ready.url).origin,
    control: ready.control,
  };
}

/** The stand-in's request count so far, and the most it answered at once since the last read. */
export async function upstreamStats(standIn) {
  const { body } = await request(standIn.control);
  return JSON.parse(body);
}

/**
 * `node dist/index.js` with production settings, pointing at `standIn`, on a free loopback
 * port; its log goes to a file in `dir`. The runner's own environment is passed on, so any of
 * the gateway's variables (UPSTREAM_CONCURRENCY_PER_TOKEN ...) can be set for a run.
 */
export async function startGateway(standIn, settings, dir) {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    STATS_API_URL: standIn.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: settings.logLevel,
  };
  delete env.STATS_API_REGION;
  const logFile = path.join(dir, `gateway-${port}.log`);
  const child = startNode('gateway', ['dist/index.js'], { env, dieWithParent: true, logFile });
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, `${origin}/readyz`);
  return { child, origin, logFile };
}

/** SIGTERM, as an orchestrator stops it; anything but a prompt exit 0 fails the run. */
export async function stopGateway(gateway) {
  const { code, signal } = await stop(gateway.child, 15_000);
  if (code !== 0) {
    throw new Error(
      `the gateway did not stop cleanly on SIGTERM (${signal ?? `exit ${code}`}). Its output:\n` +
        gateway.child.tail(),
    );
  }
}

/**
 * What the gateway logged. Operations cut off when the load generator stops are logged
 * (CLIENT_CLOSED_REQUEST), as they should be; any other line is worth a look.
 */
export function gatewayLog(gateway) {
  const lines = readFileSync(gateway.logFile, 'utf8').split('\n').filter(Boolean);
  const other = lines.filter((line) => !line.includes('"CLIENT_CLOSED_REQUEST"'));
  return {
    cancelledOperations: lines.length - other.length,
    otherLines: other.length,
    first: other.slice(0, 5),
  };
}
