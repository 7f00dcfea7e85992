import { deepStrictEqual } from 'node:assert';
import { request } from './processes.mjs';
import { upstreamRequest } from './scenarios.mjs';
import { startGateway, stopGateway, upstreamStats } from './servers.mjs';

// Before anything is measured: every operation of every scenario, sent once at rest, must get
// exactly the data the accounts say, with no error, making exactly the scenario's upstream
// calls. Anything else fails the run, saying what was sent and what came back.

const loadItem = (operation) => ({
  method: 'POST',
  path: '/graphql',
  headers: {
    'content-type': 'application/json',
    authorization: `Bearer ${operation.token}`,
  },
  body: JSON.stringify({ query: operation.query, variables: operation.variables }),
});

const clip = (text, max = 3000) => (text.length > max ? `${text.slice(0, max)} …` : text);

/**
 * Returns, per scenario id, the load generator's items: each request with the exact body its
 * answer must have under load (the verified answer; the gateway's answers are deterministic).
 */
export async function verify({ scenarios, standIns, settings, accounts, dir }) {
  const items = new Map();
  const gateways = new Map();
  try {
    for (const scenario of scenarios) {
      const standIn = standIns.get(scenario.latencyMs);
      if (!gateways.has(standIn)) {
        gateways.set(standIn, await startGateway(standIn, settings, dir));
      }
      const gateway = gateways.get(standIn);
      const list = [];
      for (const operation of scenario.operations) {
        const item = loadItem(operation);
        const before = await upstreamStats(standIn);
        const answer = await request(`${gateway.origin}${item.path}`, item);
        const calls = (await upstreamStats(standIn)).requests - before.requests;
        const fail = (why) => {
          throw new Error(
            `Scenario ${scenario.id} (${scenario.name}) answers wrongly: ${why}\n` +
              `Query: ${operation.query}\nVariables: ${JSON.stringify(operation.variables)}\n` +
              `Token: ${operation.token}\nStatus: ${answer.status}\nBody: ${clip(answer.body)}`,
          );
        };
        let body;
        try {
          body = JSON.parse(answer.body);
        } catch {
          fail('the body is not JSON');
        }
        if (answer.status !== 200) fail(`HTTP ${answer.status}`);
        if (body.errors) fail('the answer has GraphQL errors');
        try {
          deepStrictEqual(body.data, operation.data);
        } catch (error) {
          fail(`the data differs from what the accounts say:\n${clip(error.message)}`);
        }
        if (calls !== scenario.callsPerOp) {
          fail(`it made ${calls} upstream calls, not ${scenario.callsPerOp}`);
        }
        list.push({ ...item, expected: answer.body });
      }
      items.set(scenario.id, list);
    }
    const upstream = upstreamRequest(accounts);
    for (const standIn of standIns.values()) {
      const answer = await request(`${standIn.origin}${upstream.path}`, upstream);
      if (answer.status !== 200 || answer.body !== upstream.expected) {
        throw new Error(
          `The stand-in (${standIn.latencyMs} ms) answers GET ${upstream.path} wrongly: ` +
            `HTTP ${answer.status}\n${clip(answer.body)}`,
        );
      }
    }
  } finally {
    for (const gateway of gateways.values()) await stopGateway(gateway);
  }
  return items;
}
