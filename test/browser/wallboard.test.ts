import { random } from '../../src/demo/demoData.js';
import { answeredCall, endedCall, incomingCall } from '../../src/demo/liveCalls.js';
import {
  browserTests,
  seriousViolations,
  waitForCount,
  waitForText,
  type Open,
  type WatchedPage,
} from '../support/browser.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';
import { queuedCall } from '../support/queueCalls.js';

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

/** The wallboard opened and signed in with the harness's token, as a person would. */
async function signedIn(open: Open, h: Harness): Promise<WatchedPage> {
  const board = await open(wallboardUrl(h));
  await signIn(board);
  return board;
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

const minutesAndSeconds = (ms: number) =>
  `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;

const tile = ({ page }: WatchedPage, queue: string) =>
  page.locator(`[data-testid="queue-tile"][data-queue="${queue}"]`);

/** Today's visits: Sales under the 80% goal, Billing over it, a call waiting in Support. */
function today(h: Harness): void {
  const midnight = new Date().setHours(0, 0, 0, 0);
  const at = Math.max(Date.now() - 300_000, midnight + 1000);
  const answered = (queue: string, duration: number) => queuedCall(at, { queue, duration });
  for (const duration of [5000, 8000, 15_000, 30_000])
    h.api.put(TOKEN, answered('Sales', duration));
  h.api.put(TOKEN, queuedCall(at, { queue: 'Sales', duration: 40_000, result: 'Abandoned' }));
  for (const duration of [2000, 19_000]) h.api.put(TOKEN, answered('Billing', duration));
  h.api.put(TOKEN, queuedCall(at, { queue: 'Support', duration: null }));
}

describe('the wallboard at /wallboard/', () => {
  test('loads with no console error and no request to another origin, and shows the calls in progress once a token is entered', async (open) => {
    const h = await start();
    const { waiting, answered } = twoCalls(h);
    const board = await signedIn(open, h);

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
    const board = await signedIn(open, h);
    await waitForCount(rows(board), 2);
    expect(await board.page.evaluate('sessionStorage.getItem("stats-gateway.token")')).toBe(TOKEN);

    await board.page.reload();
    await waitForCount(rows(board), 2);
    expect(await board.page.getByLabel('Access token').count()).toBe(0);
  });

  test('shows a call that starts within two poll intervals, and drops it when it ends', async (open) => {
    const h = await start();
    const { next } = twoCalls(h);
    const board = await signedIn(open, h);
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
    const board = await signedIn(open, h);
    await row(board, answered.guid).click();

    const { interaction } = (await h.data(
      `query($guid: ID!) { interaction(guid: $guid) {
        events { type duration } metrics { queueTime ringTime } } }`,
      { guid: answered.guid },
    )) as {
      interaction: {
        events: { type: string; duration: number | null }[];
        metrics: { queueTime: number; ringTime: number };
      };
    };
    const lasting = interaction.events.filter((e) => e.duration === null || e.duration > 0);
    expect(lasting.length).toBeLessThan(interaction.events.length); // instant ones are left out
    const bars = board.page.getByTestId('timeline').getByTestId('timeline-bar');
    await waitForCount(bars, lasting.length);
    expect(
      await bars.evaluateAll((all) => all.map((bar) => bar.getAttribute('data-type'))),
    ).toEqual(lasting.map((e) => e.type));
    const metric = (name: string) =>
      board.page.getByRole('complementary').locator('dt', { hasText: name }).locator('+ dd');
    await waitForText(metric('Queue'), minutesAndSeconds(interaction.metrics.queueTime));
    await waitForText(metric('Ring'), minutesAndSeconds(interaction.metrics.ringTime));

    await board.page.keyboard.press('Escape'); // the drawer has the focus, on its Close button
    await board.page.getByTestId('timeline').waitFor({ state: 'detached' });
  });

  test('shows the signed-out state when the Stats API revokes the token, and forgets the token', async (open) => {
    const h = await start();
    twoCalls(h);
    const board = await signedIn(open, h);
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
    const board = await signedIn(open, h);
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
    today(h);
    const board = await open(wallboardUrl(h));
    await board.page.getByRole('heading', { name: 'Signed out' }).waitFor();
    expect(await seriousViolations(board.page)).toEqual([]);

    await signIn(board);
    await waitForText(tile(board, 'Sales').getByTestId('service-level'), '60.0%');
    await row(board, answered.guid).click();
    await board.page.getByTestId('timeline-bar').first().waitFor();
    expect(await seriousViolations(board.page)).toEqual([]);
  });

  describe('queue tiles', () => {
    test('show for each queue the service level and waiting calls that queueStats answers for the same token', async (open) => {
      const h = await start();
      today(h);
      const board = await signedIn(open, h);
      const midnight = await board.page.evaluate(
        '(() => { const d = new Date(); d.setHours(0, 0, 0, 0); return d.toISOString(); })()',
      );

      const { queueStats } = (await h.data(
        `query($start: DateTime!) { queueStats(start: $start, serviceLevel: { targetTimeToAnswer: 20000 }) {
          queues { queue serviceLevel waiting } } }`,
        { start: midnight },
      )) as {
        queueStats: { queues: { queue: string; serviceLevel: number | null; waiting: number }[] };
      };
      expect(queueStats.queues.map((q) => q.queue)).toEqual(['Billing', 'Sales', 'Support']);
      await waitForCount(board.page.getByTestId('queue-tile'), 3);
      for (const { queue, serviceLevel, waiting } of queueStats.queues) {
        const expected = serviceLevel === null ? '–' : `${serviceLevel.toFixed(1)}%`;
        await waitForText(tile(board, queue).getByTestId('service-level'), expected);
        await waitForText(tile(board, queue).getByTestId('waiting'), String(waiting));
      }
      expect(board.errors).toEqual([]);
    });

    test('mark a queue below the service level goal, in colour and in words', async (open) => {
      const h = await start();
      today(h);
      const board = await signedIn(open, h);

      await waitForText(tile(board, 'Sales').getByTestId('service-level'), '60.0%');
      await waitForText(tile(board, 'Billing').getByTestId('service-level'), '100.0%');
      expect(await tile(board, 'Sales').getAttribute('class')).toContain('below-goal');
      expect(
        await tile(board, 'Sales')
          .getByText(/^Below goal/)
          .count(),
      ).toBe(1);
      expect(await tile(board, 'Billing').getAttribute('class')).not.toContain('below-goal');
      expect(
        await tile(board, 'Billing')
          .getByText(/^Below goal/)
          .count(),
      ).toBe(0);
    });

    test('count a call that starts waiting within two poll intervals', async (open) => {
      const h = await start();
      today(h);
      const board = await signedIn(open, h);
      await waitForText(tile(board, 'Billing').getByTestId('waiting'), '0');

      h.api.put(TOKEN, queuedCall(Date.now() - 2000, { queue: 'Billing', duration: null }));
      await waitForText(tile(board, 'Billing').getByTestId('waiting'), '1', 2 * POLL_MS);
    });
  });
});
