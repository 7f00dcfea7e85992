import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { fileURLToPath, URL } from 'node:url';
import got from 'got';

// CPU per Stats API request of each way the gateway could call upstream, in one process against
// one local server (a child process serving the reference interaction, so its CPU is not
// counted): got's promise API with per-call options, a prebuilt got instance, got.stream, and
// for reference undici and bare node:http. Each batch is CONCURRENCY callers making REQUESTS
// requests in all; the variants take turns, ROUNDS times. The median is the figure; the least
// is given too, as other processes on a shared machine only ever add to it.
//
// Usage: node bench/upstreamClients.mjs [requests per batch] [rounds]
//   BENCH_UNDICI=<path to undici's index.js> adds undici when it is not in node_modules.
//   BENCH_VARIANTS=<regular expression> measures only the variants whose names match.
//   The gateway's own client (dist/upstream/statsClient.js, with its limiter and body check)
//   is measured too when dist/ is built (`npm run build`).

const REQUESTS = Number(process.argv[2] ?? 4000);
const ROUNDS = Number(process.argv[3] ?? 3);
const CONCURRENCY = 16;
const PATH = '/stats/interactions/016f7e44-7556-4747-9982-de543dfbe27f';
const ACCEPT = 'application/vnd.newvoicemedia.v3+json';

/** The upstream: every GET answered with the reference interaction, as the stand-in does. */
function serve() {
  const body = readFileSync(new URL('../src/demo/interaction-example.json', import.meta.url));
  const server = http.createServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'max-age=5, must-revalidate, private',
      'content-length': body.length,
    });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
  process.stdin.on('end', () => process.exit(0)).resume();
}

async function startServer() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((resolve) => lines.once('line', resolve));
  return { child, origin: `http://127.0.0.1:${port}` };
}

const agents = () => ({
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
});

/** Each variant: a function making one request and resolving to its body's length. */
async function variants(origin) {
  const url = `${origin}${PATH}`;
  const callerHeaders = (i) => ({ authorization: 'Bearer bench', 'x-request-id': `r${i}` });
  const list = new Map();

  // What the gateway needs of got: no redirect, no retry of its own, every status an answer,
  // bodies decoded by the gateway (src/upstream/statsHttp.ts), a timer per attempt.
  const settings = {
    retry: { limit: 0 },
    followRedirect: false,
    throwHttpErrors: false,
    decompress: false,
    timeout: { request: 10_000 },
  };
  const fixedHeaders = {
    accept: ACCEPT,
    'accept-encoding': 'gzip, br',
    'user-agent': 'stats-gateway',
  };

  const perCallAgent = agents();
  list.set('got promise, per-call options', async (i, signal) => {
    const headers = { ...fixedHeaders, ...callerHeaders(i) };
    const response = await got(url, { ...settings, agent: perCallAgent, headers, signal });
    return response.body.length;
  });

  const instance = got.extend({ ...settings, agent: agents(), headers: fixedHeaders });
  list.set('got promise, prebuilt instance', async (i, signal) => {
    const response = await instance(url, { headers: callerHeaders(i), signal });
    return response.body.length;
  });
  list.set('got promise, prebuilt instance + size cap', async (i, signal) => {
    const request = instance(url, { headers: callerHeaders(i), signal });
    request.on('downloadProgress', ({ transferred }) => {
      if (transferred > 1e9) request.cancel();
    });
    const response = await request;
    return response.body.length;
  });
  list.set('got.stream, prebuilt instance + size cap', (i, signal) => {
    return new Promise((resolve, reject) => {
      const stream = instance.stream(url, { headers: callerHeaders(i), signal });
      const chunks = [];
      let bytes = 0;
      stream.on('data', (chunk) => {
        bytes += chunk.length;
        if (bytes > 1e9) stream.destroy(new Error('over the cap'));
        else chunks.push(chunk);
      });
      stream.once('error', reject);
      stream.once('end', () => {
        // A stream is not destroyed at its end: until it is, it listens to the signal.
        stream.destroy();
        resolve(Buffer.concat(chunks, bytes).toString().length);
      });
    });
  });

  const undici = await import(process.env.BENCH_UNDICI ?? 'undici').catch(() => undefined);
  if (undici) {
    const agent = new undici.Agent();
    list.set('undici Agent.request (reference)', async (i, signal) => {
      const response = await agent.request({
        origin,
        path: PATH,
        method: 'GET',
        headers: { ...fixedHeaders, ...callerHeaders(i) },
        signal,
      });
      return (await response.body.text()).length;
    });
  }

  const bareAgent = agents().http;
  list.set('node:http (reference)', (i, signal) => {
    return new Promise((resolve, reject) => {
      const headers = { ...fixedHeaders, ...callerHeaders(i) };
      const request = http.get(url, { agent: bareAgent, headers, signal });
      request.once('error', reject);
      request.once('response', (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.once('error', reject);
        response.once('end', () => resolve(Buffer.concat(chunks).toString().length));
      });
    });
  });

  const gateway = await gatewayClient(origin);
  if (gateway) list.set("the gateway's client (dist/), with its body check", gateway);
  const only = new RegExp(process.env.BENCH_VARIANTS ?? '');
  for (const name of list.keys()) if (!only.test(name)) list.delete(name);
  return list;
}

/** The gateway's own client, when dist/ is built: what one loader call costs upstream-side. */
async function gatewayClient(origin) {
  const file = new URL('../dist/upstream/statsClient.js', import.meta.url);
  const module = await import(file.href).catch(() => undefined);
  if (!module) return undefined;
  const client = module.createStatsClient({
    baseUrl: `${origin}/stats`,
    timeoutMs: 10_000,
    retries: 0,
    maxResponseBytes: 32 * 1024 * 1024,
    concurrency: 64,
    concurrencyPerToken: 64,
    queue: 1000,
    queuePerToken: 1000,
    cacheSeconds: 0,
    cacheBytes: 0,
  });
  const logger = { info() {}, warn() {} };
  return async (i, signal) => {
    const caller = {
      authorization: 'Bearer bench',
      requestId: `r${i}`,
      signal,
      deadline: Date.now() + 10_000,
      logger,
      usage: { calls: 0, retries: 0 },
    };
    const interaction = await client.getInteraction(PATH.split('/').at(-1), caller);
    return interaction.guid.length;
  };
}

/** CPU milliseconds (user + system) per request for one batch. */
async function batch(request) {
  let next = 0;
  const worker = async () => {
    const signal = new globalThis.AbortController().signal;
    while (next < REQUESTS) {
      const length = await request(next++, signal);
      if (!(length > 0)) throw new Error('empty answer');
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / REQUESTS;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const server = await startServer();
  try {
    const list = await variants(server.origin);
    const results = new Map([...list.keys()].map((name) => [name, []]));
    for (const request of list.values()) await batch(request); // warm-up
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, request] of list) results.get(name).push(await batch(request));
      process.stderr.write(`round ${round} of ${ROUNDS} done\n`);
    }
    process.stdout.write(
      `CPU ms per Stats API request, ${CONCURRENCY} concurrent, ${REQUESTS} requests a batch, ` +
        `${ROUNDS} rounds (Node ${process.version}): median, least, every round\n`,
    );
    for (const [name, values] of results) {
      const all = values.map((v) => v.toFixed(3)).join(', ');
      const least = Math.min(...values).toFixed(3);
      process.stdout.write(`  ${median(values).toFixed(3)}  ${least}  ${name}  (${all})\n`);
    }
  } finally {
    server.child.stdin.end();
  }
  process.exit(0);
}

if (process.argv[2] === 'serve') serve();
else await main();
