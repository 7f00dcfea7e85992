import { random } from '../../src/demo/demoData.js';
import { incomingCall } from '../../src/demo/liveCalls.js';
import { browserTests, type WatchedPage } from '../support/browser.js';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { AUTH, startHarness, TOKEN, type Harness } from '../support/harness.js';
import { waitFor } from '../support/wait.js';

// LANDING_PAGE=graphiql: GraphiQL from the gateway's own files, prefilled as Sandbox is in demo
// mode (the token's header, the live subscription and the example query), in Chromium.

const test = browserTests();
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness(
    { [TOKEN]: [referenceInteraction()] },
    {
      env: { LANDING_PAGE: 'graphiql', LIVE_POLL_MS: '1000' },
      parts: {
        sandbox: {
          sandboxHeaders: { Authorization: AUTH.authorization },
          sandboxVariables: { guid: SAMPLE_GUID },
          sandboxLive: true,
        },
      },
    },
  );
  return harness;
}

/** Runs one of the document's operations: the cursor in its first line, then Ctrl-Enter. */
async function run({ page }: WatchedPage, operation: string): Promise<void> {
  await page
    .locator('.graphiql-query-editor .CodeMirror-line', { hasText: new RegExp(` ${operation}\\b`) })
    .click();
  await page.keyboard.press('Control+Enter');
}

async function responseContains({ page }: WatchedPage, text: string): Promise<void> {
  const response = page.locator('.result-window');
  let seen = '';
  await waitFor(async () => (seen = await response.innerText()).includes(text), 10_000).catch(
    () => {
      throw new Error(`expected the response to contain ${text}, it showed: ${seen}`);
    },
  );
}

describe('GraphiQL at /graphql (LANDING_PAGE=graphiql)', () => {
  test('runs the prefilled query and subscription with no request to another origin', async (open) => {
    const h = await start();
    const ide = await open(h.gateway.url);

    await run(ide, 'Interaction');
    await responseContains(ide, SAMPLE_GUID);

    h.api.put(TOKEN, incomingCall(random(5), Date.now()));
    await run(ide, 'LiveWallboard');
    await responseContains(ide, '"totalCount": 1');
    expect(ide.sockets).toEqual([h.gateway.url.replace(/^http/, 'ws')]);
    expect(ide.foreignRequests()).toEqual([]);
    expect(ide.errors).toEqual([]);
  });
});
