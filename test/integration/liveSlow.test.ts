import { randomBytes } from 'node:crypto';
import { variant } from '../support/fixture.js';
import { AUTH, TOKEN, type Harness } from '../support/harness.js';
import { liveClient, liveHarness, metric, rawSocket, subscribe } from '../support/live.js';
import { waitFor } from '../support/wait.js';

// A client that stops reading must not make the gateway buffer without end: once more than
// LIVE_MAX_BUFFERED_BYTES wait on its socket, it is dropped, and its neighbours carry on.

const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const FEED = 'subscription { interactionUpdates { guid channels { events { properties } } } }';
// Big answers that cost little to resolve: an event's properties pass through as they are.
// Random, so that permessage-deflate (which the clients here offer) cannot shrink them.
const NOTE = randomBytes(75_000).toString('base64');
const bulky = (n: number) => {
  const interaction = variant(guid(n), { status: 'Ongoing' });
  const events = interaction.channels[0]?.events ?? [];
  events[0] = { ...events[0], type: 'Ringing', properties: { note: NOTE } };
  return interaction;
};

type Socket = { _socket: { pause(): void; resume(): void } };

// Above a batch of ten notes (1 MB): with permessage-deflate, a batch waits in the gateway to be
// compressed, counted at its full size, where without it loopback's kernel buffers take it.
const LIMIT = 1536 * 1024;

describe('a client that does not read', () => {
  let harness: Harness;
  afterEach(() => harness.stop());

  it('is dropped once LIVE_MAX_BUFFERED_BYTES wait on its socket, while a reading client carries on', async () => {
    harness = await liveHarness({ [TOKEN]: [] }, { live: { maxBufferedBytes: LIMIT } });
    const reader = liveClient(harness.gateway.url);
    const reading = subscribe(reader, FEED);

    const { socket, messages, closed } = rawSocket(harness.gateway.url, AUTH);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await waitFor(() => messages.length === 1);
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: FEED } }));
    await waitFor(() => harness.api.requests.length > 1);
    // It stops reading: what it is sent fills the kernel's buffers, then the gateway's.
    (socket as unknown as Socket)._socket.pause();

    const dropped = () => metric(harness, 'stats_gateway_live_slow_clients_dropped_total');
    let sent = 0;
    // The kernel takes a few megabytes on loopback; 30 MB more would be buffering without end.
    while ((await dropped()) === 0 && sent < 300) {
      for (let i = 0; i < 10; i++) harness.api.put(TOKEN, bulky(++sent));
      await waitFor(() => reading.results.length >= sent, 10_000);
    }
    expect(await dropped()).toBe(1);
    (socket as unknown as Socket)._socket.resume();
    expect((await closed).code).toBe(1006); // cut, without a close frame stuck behind the backlog
    const line = harness.logLines().find((l) => l.msg === 'slow client dropped');
    expect(line?.bufferedBytes).toBeGreaterThan(LIMIT);

    // The reader was sent everything, and still is.
    harness.api.put(TOKEN, bulky(++sent));
    await reading.waitForResults(sent);
    expect(reading.error).toBeUndefined();
    await reader.dispose();
  });
});
