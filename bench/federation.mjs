import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../dist/config.js';
import { referenceInteraction } from '../dist/demo/demoData.js';
import { startStatsApi } from '../dist/demo/statsApi.js';
import { startGateway } from '../dist/gateway.js';
import { createLogger } from '../dist/telemetry/logger.js';

// `npm run bench:federation`: the same 50 interactions (25 distinct guids, each twice) asked
// for as a router does, through `_entities`, and as a client does, through `interactionsByGuid`,
// against one gateway with FEDERATION=true and the stand-in Stats API, in one process, in turns.
// Prints each one's median and 95th percentile latency and the Stats API calls per operation.
// See docs/federation.md, "Cost".

const TOKEN = 'bench-token';
const ROUNDS = Number(process.env.ROUNDS ?? 400);
const guids = Array.from(
  { length: 25 },
  (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
);
const fifty = [...guids, ...guids];
const FIELDS = 'guid status start end serviceName metrics { queueTime talkTime agentCount }';
const EVENTS = 'events { __typename type at duration ... on QueueEvent { name result } }';
const cases = {
  _entities: {
    query: `query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on Interaction { ${FIELDS} } } }`,
    variables: { r: fifty.map((guid) => ({ __typename: 'Interaction', guid })) },
  },
  interactionsByGuid: {
    query: `query ByGuid($g: [ID!]!) { interactionsByGuid(guids: $g) { ${FIELDS} } }`,
    variables: { g: fifty },
  },
  '_entities with events': {
    query: `query EntitiesEvents($r: [_Any!]!) { _entities(representations: $r) { ... on Interaction { ${FIELDS} ${EVENTS} } } }`,
    variables: { r: fifty.map((guid) => ({ __typename: 'Interaction', guid })) },
  },
  'interactionsByGuid with events': {
    query: `query ByGuidEvents($g: [ID!]!) { interactionsByGuid(guids: $g) { ${FIELDS} ${EVENTS} } }`,
    variables: { g: fifty },
  },
};

const api = await startStatsApi({
  accounts: { [TOKEN]: guids.map((guid) => ({ ...referenceInteraction(), guid })) },
  record: true,
});
const config = { ...parseConfig({ PORT: '0', FEDERATION: 'true' }), statsApiUrl: api.url };
const gateway = await startGateway(config, createLogger('silent'));

async function run({ query, variables }) {
  const started = performance.now();
  const response = await globalThis.fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return performance.now() - started;
}

const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
const calls = {};
for (const [name, operation] of Object.entries(cases)) {
  for (let i = 0; i < 20; i += 1) await run(operation); // compiled from its second run
  const before = api.requests.length;
  await run(operation);
  calls[name] = api.requests.length - before;
}
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, operation] of Object.entries(cases)) times[name].push(await run(operation));
}
const quantile = (values, q) =>
  values.toSorted((a, b) => a - b)[Math.floor(q * (values.length - 1))];
process.stdout.write(`node ${process.version}, ${ROUNDS} rounds\n`);
for (const [name, values] of Object.entries(times)) {
  process.stdout.write(
    `${name.padEnd(32)} median ${quantile(values, 0.5).toFixed(2)} ms  p95 ${quantile(values, 0.95).toFixed(2)} ms  Stats API calls ${calls[name]}\n`,
  );
}
await gateway.stop();
await api.close();
