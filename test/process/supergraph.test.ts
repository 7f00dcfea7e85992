import { execFile } from 'node:child_process';
import process from 'node:process';
import { promisify } from 'node:util';

// `npm run supergraph`'s script, on the gateway as built (test/support/buildOnce.js): what
// someone trying the gateway in a supergraph runs first.
const run = promisify(execFile);
const SCRIPT = new URL('../../examples/federation/compose.mjs', import.meta.url).pathname;

describe('npm run supergraph', () => {
  it('prints a supergraph of the gateway and the example agent directory at the URLs given', async () => {
    const { stdout } = await run(process.execPath, [SCRIPT], {
      env: {
        ...process.env,
        STATS_GATEWAY_URL: 'http://stats.example:4000/graphql',
        AGENTS_URL: 'http://agents.example:4001/graphql',
      },
    });
    expect(stdout).toContain(
      '@join__graph(name: "stats", url: "http://stats.example:4000/graphql")',
    );
    expect(stdout).toContain(
      '@join__graph(name: "agents", url: "http://agents.example:4001/graphql")',
    );
    expect(stdout).toMatch(/type Party[^{]*\{[^}]*\bagent: Agent/);
  });
});
