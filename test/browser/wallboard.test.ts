import { random } from '../../src/demo/demoData.js';
import { answeredCall, endedCall, incomingCall } from '../../src/demo/liveCalls.js';
import {
  browserTests,
  seriousViolations,
  waitForCount,
  waitForText,
  type WatchedPage,
} from '../support/browser.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';

// The reference wallboard (examples/wallboard/) as `npm run build` makes it and the gateway
// serves it, in Chromium, against the stand-in Stats API over real sockets.

const POLL_MS = 1500;
const test = browserTests();
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(port = '0'): Promise<Harness> {
  harness = await startHarness(
    { [TOKEN]: [] },
    { env: { PORT: port, WALLBOARD: 'true', LIVE_POLL_MS: String(POLL_MS) } },
  );
  return harness;
}

const wallboardUrl = (h: Harness) => h.gateway.url.replace(/\/graphql$/, '/wallboard/');
const rows = ({ page }: WatchedPage) => page.getByTestId('ongoing-call');
const row = ({ page }: WatchedPage, guid: string) =>
  page.locator(`[data-testid="ongoing-call"][data-guid="${guid}"]`);

async function signIn(watched: WatchedPage, token = TOKEN): Promise<void> {
  await watched.page.getByLabel('Access token').fill(token);
  await watched.page.getByRole('button', { name: 'Connect' }).click();
}

/** A call waiting in a queue and one an agent has answered, both in progress. */
function twoCalls(h: Harness) {
  const next = random(3);
  const now = Date.now();
  const waiting = incomingCall(next, now - 20_000);
  const answered = answeredCall(incomingCall(next, now - 60_000), next, now - 30_000);
  h.api.put(TOKEN, waiting);
  h.api.put(TOKEN, answered);
  return { waiting, answered, next };
}

describe('the wallboard at /wallboard/', () => {
  test('loads with no console error and no request to another origin, and shows the calls in progress once a token is entered', async (open) => {
    const h = await start();
    const { waiting, answered } = twoCalls(h);
    const board = await open(wallboardUrl(h));
    await signIn(board);

    await waitForCount(rows(board), 2);
    await waitForText(row(board, waiting.guid).locator('td').nth(4), 'Waiting');
    await waitForText(row(board, answered.guid).locator('td').nth(4), 'Talking');
    await waitForText(board.page.getByTestId('connection-status'), 'Live');
    expect(board.errors).toEqual([]);
    expect(board.foreignRequests()).toEqual([]);
    expect(board.sockets).toEqual([h.gateway.url.replace(/^http/, 'ws')]);
    expect(board.requests.filter((url) => url.includes(TOKEN))).toEqual([]);
  });

  test('keeps the token in sessionStorage: a reload stays signed in', async (open) => {
    const h = await start();
    twoCalls(h);
    const board = await open(wallboardUrl(h));
    await signIn(board);
    await waitForCount(rows(board), 2);
    expect(await board.page.evaluate('sessionStorage.getItem("stats-gateway.token")')).toBe(TOKEN);

    await board.page.reload();
    await waitForCount(rows(board), 2);
    expect(await board.page.getByLabel('Access token').count()).toBe(0);
  });

  test('shows a call that starts within two poll intervals, and drops it when it ends', async (open) => {
    const h = await start();
    const { next } = twoCalls(h);
    const board = await open(wallboardUrl(h));
    await signIn(board);
    await waitForCount(rows(board), 2);

    const call = incomingCall(next, Date.now());
    h.api.put(TOKEN, call);
    await row(board, call.guid).waitFor({ timeout: 2 * POLL_MS });
    h.api.put(TOKEN, endedCall(call, Date.now()));
    await row(board, call.guid).waitFor({ state: 'detached', timeout: 2 * POLL_MS });
    await waitForCount(rows(board), 2);
  });

  test('draws a clicked call’s timeline: one bar per event that lasted or is still running, in order', async (open) => {
    const h = await start();
    const { answered } = twoCalls(h);
    const board = await open(wallboardUrl(h));
    await signIn(board);
    await row(board, answered.guid).click();

    const { interaction } = (await h.data(
      'query($guid: ID!) { interaction(guid: $guid) { events { type duration } } }',
      { guid: answered.guid },
    )) as { interaction: { events: { type: string; duration: number | null }[] } };
    const lasting = interaction.events.filter((e) => e.duration === null || e.duration > 0);
    expect(lasting.length).toBeLessThan(interaction.events.length); // instant ones are left out
    const bars = board.page.getByTestId('timeline').getByTestId('timeline-bar');
    await waitForCount(bars, lasting.length);
    expect(
      await bars.evaluateAll((all) => all.map((bar) => bar.getAttribute('data-type'))),
    ).toEqual(lasting.map((e) => e.type));
    await waitForText(board.page.getByRole('heading', { level: 3 }), 'Metrics');
  });

  test('shows the signed-out state when the Stats API revokes the token, and forgets the token', async (open) => {
    const h = await start();
    twoCalls(h);
    const board = await open(wallboardUrl(h));
    await signIn(board);
    await waitForCount(rows(board), 2);

    h.api.revoke(TOKEN);
    await board.page.getByRole('heading', { name: 'Signed out' }).waitFor({ timeout: 3 * POLL_MS });
    expect(await board.page.getByText('UNAUTHENTICATED').count()).toBe(1);
    expect(await board.page.evaluate('sessionStorage.getItem("stats-gateway.token")')).toBe(null);
  });

  test('without a token shows the signed-out state and opens no socket', async (open) => {
    const h = await start();
    const board = await open(wallboardUrl(h));
    await board.page.getByRole('heading', { name: 'Signed out' }).waitFor();
    expect(await board.page.getByLabel('Access token').inputValue()).toBe('');
    expect(board.sockets).toEqual([]);
    expect(board.errors).toEqual([]);
  });

  test('shows a lost connection when the gateway restarts, and reconnects by itself', async (open) => {
    const h = await start();
    const { waiting } = twoCalls(h);
    const port = new URL(h.gateway.url).port;
    const board = await open(wallboardUrl(h));
    await signIn(board);
    await waitForText(board.page.getByTestId('connection-status'), 'Live');

    await h.stop();
    harness = undefined;
    const status = board.page.getByTestId('connection-status');
    await waitForText(status, 'Connection lost: reconnecting…');
    const restarted = await start(port);
    restarted.api.put(TOKEN, waiting);
    await waitForText(status, 'Live', 10_000);
    await waitForCount(rows(board), 1, 10_000);
  });

  test('has no serious or critical accessibility violation, signed out or showing calls and a timeline', async (open) => {
    const h = await start();
    const { answered } = twoCalls(h);
    const board = await open(wallboardUrl(h));
    await board.page.getByRole('heading', { name: 'Signed out' }).waitFor();
    expect(await seriousViolations(board.page)).toEqual([]);

    await signIn(board);
    await row(board, answered.guid).click();
    await board.page.getByTestId('timeline-bar').first().waitFor();
    expect(await seriousViolations(board.page)).toEqual([]);
  });
});
