import { execFileSync } from 'node:child_process';
import { startGatewayProcess, stopGatewayProcesses } from '../support/process.js';
import { waitFor } from '../support/wait.js';

const GRAPHQL_MODE = new URL('../support/graphqlMode.mjs', import.meta.url).href;

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('the gateway as `npm start` runs it', () => {
  afterEach(stopGatewayProcesses);

  it('starts on demo data without a warning, logs JSON lines to a pipe and exits 0 on SIGTERM', async () => {
    const gateway = await startGatewayProcess();
    const code = await gateway.terminate(10_000);
    expect(gateway.stderr()).toBe('');
    const [logs] = gateway.stdout().split('\n\n  Stats gateway on DEMO DATA');
    const lines = (logs ?? '').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(code).toBe(0);
  });

  /** Which instanceof check graphql-js chose in a gateway started with `env` (see graphqlMode.mjs). */
  async function graphqlModeWith(env: Record<string, string>): Promise<string | undefined> {
    const gateway = await startGatewayProcess({
      env,
      command: ([node, ...args]) => [node as string, '--import', GRAPHQL_MODE, ...args],
    });
    await gateway.terminate(10_000);
    await waitFor(() => gateway.stdout().includes('graphql-js mode:'));
    return /graphql-js mode: (\w+)/.exec(gateway.stdout())?.[1];
  }

  it.each([
    ['unset', {}],
    ['empty', { NODE_ENV: '' }],
    ['blank', { NODE_ENV: ' ' }],
  ])('runs graphql-js in production mode when NODE_ENV is %s', async (_, env) => {
    expect(await graphqlModeWith(env)).toBe('production');
  });

  it("leaves a NODE_ENV that is set as it is, development's slower check included", async () => {
    expect(await graphqlModeWith({ NODE_ENV: 'development' })).toBe('development');
  });

  (hasScript ? it : it.skip)(
    'logs human-readable lines when stdout is a terminal (skipped where util-linux `script` is missing)',
    async () => {
      const gateway = await startGatewayProcess({
        // script(1) runs the gateway on a pseudo-terminal and copies what it shows to our pipe.
        command: (argv) => ['script', '-qfec', argv.join(' '), '/dev/null'],
      });
      await gateway.terminate(10_000);
      const shown = gateway.stdout();
      expect(shown).toMatch(/INFO.*gateway listening/);
      expect(shown).not.toContain('{"level":');
    },
  );
});
