import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { AUTH, startHarness, TOKEN, type Harness } from '../support/harness.js';
import { openRaw, postText } from '../support/rawHttp.js';
import { sleep } from '../support/wait.js';

// A request's headers and body must arrive within OPERATION_TIMEOUT_MS of its first byte, so a
// caller trickling them cannot hold a connection, a socket buffer and an operation for minutes.
// Node enforces its request timeout on a check interval; the gateway sets that interval to a
// fraction of the deadline (at most 1 s), so these bounds are the deadline plus that and slack.

const DEADLINE_MS = 1000;
const LATE_MS = DEADLINE_MS + 1500;
const QUERY = JSON.stringify({ query: `{ interaction(guid: "${SAMPLE_GUID}") { guid } }` });
const ANSWER = { data: { interaction: { guid: SAMPLE_GUID } } };

/** Open connections the gateway holds, once none has closed for a moment (at most 1 s). */
async function connectionsSettle(harness: Harness): Promise<number> {
  const count = () =>
    new Promise<number>((resolve, reject) =>
      harness.gateway.httpServer.getConnections((error, n) => (error ? reject(error) : resolve(n))),
    );
  let open = await count();
  for (let tries = 0; open > 0 && tries < 50; tries++) {
    await sleep(20);
    open = await count();
  }
  return open;
}

describe('HTTP time and size limits', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction()] },
      { env: { OPERATION_TIMEOUT_MS: String(DEADLINE_MS) } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.api.requests.splice(0));

  it('answers a body trickled one byte per 200 ms with 408 by the deadline and frees the connection', async () => {
    const raw = await openRaw(harness.gateway.url);
    const request = postText(harness.gateway.url, QUERY, AUTH);
    const headers = request.slice(0, request.indexOf('\r\n\r\n') + 4);
    raw.socket.write(headers);
    void raw.trickle(QUERY, 200);
    const ms = await raw.closedWithin(5000);
    expect(raw.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(LATE_MS);
    expect(harness.upstreamCalls()).toBe(0);
    expect(await connectionsSettle(harness)).toBe(0);
  });

  it('answers headers trickled one byte per 200 ms with 408 by the deadline', async () => {
    const raw = await openRaw(harness.gateway.url);
    void raw.trickle(postText(harness.gateway.url, QUERY, AUTH), 200);
    const ms = await raw.closedWithin(5000);
    expect(raw.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(LATE_MS);
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('closes a connection that sends nothing by the deadline', async () => {
    const raw = await openRaw(harness.gateway.url);
    const ms = await raw.closedWithin(5000);
    expect(ms).toBeLessThan(LATE_MS);
  });

  it('counts the deadline from arrival: a body that took most of it leaves the operation the rest', async () => {
    harness.api.inject(SAMPLE_GUID, { kind: 'hang' });
    try {
      const raw = await openRaw(harness.gateway.url);
      const request = postText(harness.gateway.url, QUERY, AUTH);
      const split = request.length - 5;
      const started = performance.now();
      raw.socket.write(request.slice(0, split));
      await sleep(DEADLINE_MS - 200);
      raw.socket.write(request.slice(split));
      const answer = await raw.answers(1);
      const ms = performance.now() - started;
      raw.socket.destroy();
      expect(answer).toContain('"code":"UPSTREAM_TIMEOUT"');
      // From the body's last byte, the operation had 200 ms left, not a whole deadline.
      expect(ms).toBeLessThan(DEADLINE_MS + 500);
    } finally {
      harness.api.clearFaults();
    }
  });

  it('refuses a header block over 16 KiB with 431, and serves one just under it', async () => {
    const big = await openRaw(harness.gateway.url);
    big.socket.write(
      postText(harness.gateway.url, QUERY, { ...AUTH, 'x-filler': 'a'.repeat(17_000) }),
    );
    await big.closedWithin(5000);
    expect(big.received()).toMatch(/^HTTP\/1\.1 431 /);

    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH, 'x-filler': 'a'.repeat(15_000) },
      body: QUERY,
    });
    expect(await response.json()).toEqual(ANSWER);
  });

  it('keeps a connection alive for 65 s, and serves it again after idling past the deadline', async () => {
    const raw = await openRaw(harness.gateway.url);
    raw.socket.write(postText(harness.gateway.url, QUERY, AUTH));
    const first = await raw.answers(1);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(first).toMatch(/\r\nkeep-alive: timeout=65\r\n/i);
    // Idle between requests is keep-alive time, not header time: Node starts the headers timer
    // at a request's first byte, so this outlasts the deadline and its check interval.
    await sleep(DEADLINE_MS * 2);
    raw.socket.write(postText(harness.gateway.url, QUERY, AUTH));
    const both = await raw.answers(2);
    raw.socket.destroy();
    expect(both.split('HTTP/1.1 200 ')).toHaveLength(3);
    expect(both.split(JSON.stringify(ANSWER))).toHaveLength(3);
  });
});
