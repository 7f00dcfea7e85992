import { Buffer } from 'node:buffer';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import zlib from 'node:zlib';
import { MAIN_TOKEN, NOW } from './accounts.mjs';
import { mainThreadCpuMs, processCpuMs } from './procfs.mjs';
import { killAll, stop } from './processes.mjs';
import { DAY_TIMELINES } from './scenarios.mjs';
import { startGateway, startStandIn, stopGateway } from './servers.mjs';

// `npm run bench:compression`: what compressing a page of 100 interactions with their
// timelines (scenario 4's answer) costs and saves. First each coding's level on that answer
// alone, in this process (size, and CPU per compression); then the gateway as users run it,
// answering the page with br, gzip and identity: bytes on the wire (headers included) and the
// gateway process's CPU per operation. BENCH_OPERATIONS (default 400) per coding.

const OPERATIONS = Number(process.env.BENCH_OPERATIONS ?? 400);
const log = (text) => process.stdout.write(`${text}\n`);
const start = new Date(NOW.getTime() - 24 * 3_600_000).toISOString();
const body = JSON.stringify({ query: DAY_TIMELINES, variables: { start, end: NOW.toISOString() } });

/** One POST of the page over `agent`: { bytes on the wire, the decoded body, its coding }. */
function post(url, agent, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${MAIN_TOKEN}` };
    if (acceptEncoding) headers['accept-encoding'] = acceptEncoding;
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const coding = res.headers['content-encoding'] ?? 'identity';
        const decoded =
          coding === 'br'
            ? zlib.brotliDecompressSync(raw)
            : coding === 'gzip'
              ? zlib.gunzipSync(raw)
              : raw;
        // Status line and headers as sent: Node keeps them in rawHeaders.
        let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`;
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          head += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
        }
        resolve({ wire: Buffer.byteLength(`${head}\r\n`) + raw.length, text: decoded, coding });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Median CPU microseconds of `fn` over `runs` calls, after a warm-up. */
function cpuMicros(fn, runs) {
  for (let i = 0; i < 20; i++) fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    samples.push(used.user + used.system);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

function levels(answer) {
  log(`\nThe answer alone: ${answer.length} bytes of JSON\n`);
  log('| coding | level | bytes | of identity | CPU per compression (µs, median) |');
  log('| --- | --- | --- | --- | --- |');
  const row = (coding, level, compress) => {
    const size = compress().length;
    const micros = cpuMicros(compress, 200);
    log(
      `| ${coding} | ${level} | ${size} | ${((100 * size) / answer.length).toFixed(1)}% | ${micros} |`,
    );
  };
  for (const quality of [1, 3, 4, 5, 6, 7, 9, 11]) {
    const params = {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    };
    row('br', quality, () => zlib.brotliCompressSync(answer, { params }));
  }
  for (const level of [1, 4, 6, 9]) row('gzip', level, () => zlib.gzipSync(answer, { level }));
}

async function endToEnd(gateway) {
  const url = `${gateway.origin}/graphql`;
  log(`\nThe gateway answering the page, ${OPERATIONS} operations per coding, one at a time\n`);
  log(
    '| Accept-Encoding | sent as | bytes on the wire | gateway CPU per operation (ms) | of which its main thread |',
  );
  log('| --- | --- | --- | --- | --- |');
  let reference;
  for (const acceptEncoding of [undefined, 'gzip', 'br', 'gzip, deflate, br']) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 50; i++) await post(url, agent, acceptEncoding); // warm-up
    const { pid } = gateway.child;
    const before = [processCpuMs(pid), mainThreadCpuMs(pid)];
    let last;
    for (let i = 0; i < OPERATIONS; i++) last = await post(url, agent, acceptEncoding);
    const cpu = (processCpuMs(pid) - before[0]) / OPERATIONS;
    const main = (mainThreadCpuMs(pid) - before[1]) / OPERATIONS;
    agent.destroy();
    reference ??= last.text;
    if (!last.text.equals(reference)) throw new Error(`${last.coding} decodes to another answer`);
    const row = [
      acceptEncoding ?? '(none)',
      last.coding,
      last.wire,
      cpu.toFixed(2),
      main.toFixed(2),
    ];
    log(`| ${row.join(' | ')} |`);
  }
  return reference;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-compression-'));
try {
  log(`Node ${process.version}`);
  const standIn = await startStandIn(0);
  const gateway = await startGateway(standIn, { logLevel: 'warn' }, dir);
  const answer = await endToEnd(gateway);
  const items = JSON.parse(answer).data.interactions.items;
  const events = items.reduce((sum, item) => sum + item.events.length, 0);
  log(`\n(${items.length} interactions, ${events} events)`);
  await stopGateway(gateway);
  await stop(standIn.child);
  levels(answer);
} finally {
  killAll();
  rmSync(dir, { recursive: true, force: true });
}
