import type { CloseEvent } from 'ws';
import { SAMPLE_GUID, referenceInteraction } from '../support/fixture.js';
import { TOKEN, type Harness } from '../support/harness.js';
import { liveClient, liveHarness, subscribe } from '../support/live.js';
import { startGatewayProcess } from '../support/process.js';
import { sleep, waitFor } from '../support/wait.js';

// Shutdown with subscribers: HTTP drains first, then every WebSocket is closed with 1001
// (going away, so clients reconnect elsewhere), the pollers stop, and the process exits 0.

const ONGOING = 'subscription { ongoingInteractions { totalCount } }';
const UPDATES = 'subscription { interactionUpdates { guid status } }';

describe('shutdown with live subscribers', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.api.close();
    harness = undefined;
  });

  it('closes the sockets with 1001 after an HTTP operation in flight has its answer, and stops polling', async () => {
    harness = await liveHarness({ [TOKEN]: [referenceInteraction()] }, { latencyMs: 300 });
    const h = harness;
    const closes: { code: number; at: number }[] = [];
    const client = liveClient(h.gateway.url, undefined, {
      on: { closed: (event) => closes.push({ code: (event as CloseEvent).code, at: Date.now() }) },
    });
    const feed = subscribe(client, ONGOING);
    await feed.waitForResults(1);

    const slow = answerOf(h);
    await waitFor(() => h.api.requests.some((r) => r.path.endsWith(SAMPLE_GUID)));
    const stopped = h.gateway.stop();
    const answered = await slow;
    await stopped;
    expect(answered.status).toBe(200);
    expect(closes.map((c) => c.code)).toEqual([1001]);
    expect(answered.at).toBeLessThanOrEqual(closes[0]?.at ?? 0);
    await sleep(400); // the stand-in records a request when it answers, 300 ms after it came
    const polls = h.api.requests.length;
    await sleep(700);
    expect(h.api.requests.length).toBe(polls);
    await client.dispose();
  });

  it('on demo data, opens Sandbox on a live subscription, moves with time, and exits 0 on SIGTERM with subscribers, closing their sockets with 1001', async () => {
    const gateway = await startGatewayProcess({ env: { LIVE_POLL_MS: '1000' } });
    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/subscription LiveWallboard[\s\S]*query Interaction/);

    const closes: number[] = [];
    const client = liveClient(
      gateway.url,
      { Authorization: 'Bearer demo-token' },
      { on: { closed: (event) => closes.push((event as CloseEvent).code) } },
    );
    const feeds = [subscribe(client, ONGOING), subscribe(client, UPDATES)];
    await feeds[0]?.waitForResults(1, 10_000);
    // The demo's calls come in, progress and end every few seconds.
    await feeds[1]?.waitForResults(1, 10_000);
    const code = await gateway.terminate(10_000);
    expect(code).toBe(0);
    expect(closes).toEqual([1001]);
    await client.dispose();
  });
});

/** An HTTP operation (its Stats API request takes 300 ms), and when its answer arrived. */
async function answerOf(h: Harness): Promise<{ status: number; at: number }> {
  const response = await h.query(`{ interaction(guid: "${SAMPLE_GUID}") { guid } }`);
  return { status: response.status, at: Date.now() };
}
