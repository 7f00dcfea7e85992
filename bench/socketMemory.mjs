import process from 'node:process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { killAll, startNode, stop } from './processes.mjs';

// `npm run bench:sockets`: what each idle WebSocket subscriber costs the gateway in memory,
// with and without permessage-deflate. A gateway (with its stand-in, in a process of their own)
// takes BENCH_SOCKETS (default 1000) sockets, each subscribed to a page of 100 ongoing
// interactions with their timelines (or, last, of one interaction); once every socket has its
// page, and nothing changes, the gateway's memory is read after a full garbage collection, and
// compared with before. The served side runs with --expose-gc; the runner needs none.

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const TOKEN = 'bench-token';
const PAGE = `subscription Page {
  ongoingInteractions(limit: 100) {
    totalCount
    items { guid start serviceName events { __typename type offset duration at channel { party { role } } } }
  }
}`;
// Under COMPRESSION_MIN_BYTES: nothing is compressed, so no socket gets a compressor.
const SMALL = 'subscription Small { ongoingInteractions(limit: 1) { totalCount } }';
const log = (text) => process.stdout.write(`${text}\n`);

/** The served side: stand-in and gateway in this process, memory reported on each stdin line. */
async function serve() {
  const { parseConfig } = await import('../dist/config.js');
  const { generateInteractions } = await import('../dist/demo/demoData.js');
  const { startStatsApi } = await import('../dist/demo/statsApi.js');
  const { startGateway } = await import('../dist/gateway.js');
  const { createLogger } = await import('../dist/telemetry/logger.js');
  const ongoing = generateInteractions(100, new Date(), 7).map((item) => ({
    ...item,
    status: 'Ongoing',
  }));
  const api = await startStatsApi({ accounts: { [TOKEN]: ongoing }, latencyMs: 0 });
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  env.LIVE_MAX_SUBSCRIPTIONS_PER_TOKEN = String(SOCKETS);
  const config = { ...parseConfig(env), statsApiUrl: api.url };
  const gateway = await startGateway(config, createLogger('warn'));
  const memory = () => {
    globalThis.gc();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    return { rss, heapUsed, external, arrayBuffers };
  };
  createInterface({ input: process.stdin }).on('line', () => log(JSON.stringify(memory())));
  log(JSON.stringify({ url: gateway.url, ...memory() }));
}

/** One subscriber: resolves with its socket once its first page has arrived. */
function subscriber(url, offer, query) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
      perMessageDeflate: offer,
    });
    socket.on('error', reject);
    socket.on('open', () =>
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${TOKEN}` } }),
      ),
    );
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      } else if (message.type === 'next') {
        if (message.payload.data?.ongoingInteractions?.totalCount !== 100) {
          reject(new Error(`not the page: ${data.toString().slice(0, 300)}`));
        }
        resolve({ socket, pageBytes: data.length });
      } else if (message.type !== 'ping' && message.type !== 'pong') {
        reject(new Error(`unexpected: ${data.toString().slice(0, 300)}`));
      }
    });
  });
}

async function measure(label, env, offer, query = PAGE) {
  const child = startNode('gateway', ['--expose-gc', 'bench/socketMemory.mjs', 'serve'], {
    env: { ...process.env, ...env },
  });
  const lines = [];
  const next = () =>
    child.firstLine((line) => (line.startsWith('{') ? JSON.parse(line) : undefined));
  const ready = await next();
  const sockets = [];
  for (let i = 0; i < SOCKETS; i += 50) {
    const batch = Array.from({ length: Math.min(50, SOCKETS - i) }, () =>
      subscriber(ready.url, offer, query),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  const read = sockets.reduce((sum, { socket }) => sum + socket._socket.bytesRead, 0);
  await sleep(2000);
  const after = next();
  child.stdin.write('\n');
  const idle = await after;
  const per = (field) => ((idle[field] - ready[field]) / SOCKETS / 1024).toFixed(1);
  const extensions = sockets[0].socket.extensions || '(none)';
  lines.push(
    `| ${label} | ${extensions} | ${Math.round(read / SOCKETS)} | ${per('rss')} | ${per('heapUsed')} | ${per('external')} |`,
  );
  for (const { socket } of sockets) socket.terminate();
  await stop(child);
  return lines;
}

if (process.argv[2] === 'serve') {
  await serve();
} else {
  try {
    log(`Node ${process.version}, ${SOCKETS} sockets, each subscribed and sent its first page`);
    log(
      '\n| gateway | negotiated | bytes received per socket | KiB per socket: RSS | heap | external |',
    );
    log('| --- | --- | --- | --- | --- | --- |');
    for (const [label, env, offer, query] of [
      ['COMPRESSION=false', { COMPRESSION: 'false' }, true],
      ['COMPRESSION=true, client offers nothing', {}, false],
      ['COMPRESSION=true, client offers permessage-deflate', {}, true],
      ['the same, a page of 1 interaction (under 1 KiB)', {}, true, SMALL],
    ]) {
      for (const line of await measure(label, env, offer, query)) log(line);
    }
  } finally {
    killAll();
  }
}
