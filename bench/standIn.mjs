import { subscribe } from 'node:diagnostics_channel';
import http from 'node:http';
import process from 'node:process';
import { startStatsApi } from '../dist/demo/statsApi.js';
import { buildAccounts } from './accounts.mjs';

// The stand-in Stats API in a process of its own, as the benchmark's upstream. Its request log
// is off (it would grow without bound and cost the upstream time); instead Node's
// `http.server.request.start` diagnostics channel counts requests, and those being answered at
// once, so neither the stand-in's code nor its behaviour changes. The figures are served on a
// second port, at /__bench/stats: { requests (so far), peakInFlight (since the last read) }.
//
// Usage: node bench/standIn.mjs <latencyMs>. Prints one JSON line, { url, control }, when ready;
// exits on SIGTERM or when its standard input closes (the runner has gone).

const latencyMs = Number(process.argv[2] ?? 0);
let requests = 0;
let inFlight = 0;
let peakInFlight = 0;
let control;
subscribe('http.server.request.start', ({ server, response }) => {
  if (server === control) return;
  requests++;
  peakInFlight = Math.max(peakInFlight, ++inFlight);
  // 'close' also comes when the gateway gives up on a request before the answer.
  response.once('close', () => inFlight--);
});

const api = await startStatsApi({ accounts: buildAccounts(), record: false, latencyMs });

control = http.createServer((req, res) => {
  if (req.url !== '/__bench/stats') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ requests, peakInFlight }));
  peakInFlight = inFlight;
});
await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  control.close();
  await api.close();
  process.exit(0);
}
process.on('SIGTERM', close);
process.on('SIGINT', close);
process.stdin.on('end', close).resume();

process.stdout.write(
  `${JSON.stringify({ url: api.url, control: `http://127.0.0.1:${control.address().port}/__bench/stats` })}\n`,
);
