import { readFileSync } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

// The load generator, in a process of its own so that its CPU is not the gateway's.
//
// Usage: node bench/load.mjs <spec.json>, where the spec is
//   { origin, connections, warmup, duration, items: [{ method, path, headers, body, expected }] }.
// Runs `warmup` seconds, prints {"phase":"warm"}, waits for a line "go" on standard input (the
// runner takes its snapshots in between), runs `duration` seconds and prints
// {"phase":"done","result":{...}}. Every answer is checked: its status must be 200 and its body
// exactly `expected` (the answer the runner verified before), so a GraphQL error, a partial
// answer or another caller's data counts as an error. Exits when its standard input closes.

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const lines = createInterface({ input: process.stdin });
lines.on('close', () => process.exit(0));
const go = new Promise((resolve) => {
  lines.on('line', (line) => {
    if (line.trim() === 'go') resolve();
  });
});

/** autocannon options sending `spec.items` in turn over all connections, checking each answer. */
function options(duration) {
  const { items } = spec;
  // onResponse runs just before verifyBody for the same response, on the same tick: it leaves
  // what verifyBody needs here.
  let answered = { status: 0, expected: '' };
  const verifyBody = (body) => answered.status !== 200 || body === answered.expected;
  const common = {
    url: spec.origin,
    connections: spec.connections,
    duration,
    verifyBody,
  };
  if (items.length === 1) {
    const [item] = items;
    return {
      ...common,
      requests: [
        {
          ...request(item),
          onResponse: (status) => {
            answered = { status, expected: item.expected };
          },
        },
      ],
    };
  }
  // Several items: one shared counter, so the connections in flight at any time ask for
  // different items rather than walking the list in step.
  let next = 0;
  return {
    ...common,
    requests: [
      {
        setupRequest: (req, context) => {
          const item = items[next++ % items.length];
          context.expected = item.expected;
          return { ...req, ...request(item) };
        },
        onResponse: (status, _body, context) => {
          answered = { status, expected: context.expected };
        },
      },
    ],
  };
}

function request({ method, path, headers, body }) {
  return { method, path, headers, ...(body === undefined ? {} : { body }) };
}

function summary(result) {
  const completed = result.requests.total;
  return {
    durationS: result.duration,
    completed,
    sent: result.requests.sent,
    rps: completed / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    wrongAnswers: result.mismatches,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    errors: result.non2xx + result.mismatches + result.errors,
  };
}

function write(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const warm = spec.warmup > 0 ? summary(await autocannon(options(spec.warmup))) : null;
write({ phase: 'warm', warm });
await go;
write({ phase: 'done', result: summary(await autocannon(options(spec.duration))) });
process.exit(0);
