import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness, type HarnessOptions } from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';
import { waitFor } from '../support/wait.js';

// Graceful stop (gateway.stop(), what SIGTERM runs): /readyz fails for SHUTDOWN_DELAY_MS while
// requests are still served, then the listener closes, in-flight operations get
// SHUTDOWN_GRACE_MS, and then their connections are cut.
//
// Each test stops its own gateway, so cleanup stops it only if the test did not get that far,
// and always closes the stand-in (harness.stop() would stop the gateway a second time).

const SHORT = `{ interaction(guid: "${SAMPLE_GUID}") { guid } }`;

describe('graceful shutdown', () => {
  let harness: Harness | undefined;
  let stopping: Promise<void> | undefined;

  async function start(options: HarnessOptions): Promise<Harness> {
    harness = await startHarness({ [TOKEN]: [referenceInteraction()] }, options);
    return harness;
  }

  function stop(h: Harness): Promise<void> {
    stopping = h.gateway.stop();
    return stopping;
  }

  afterEach(async () => {
    if (harness) {
      await (stopping ?? harness.gateway.stop());
      await harness.api.close();
    }
    harness = undefined;
    stopping = undefined;
  });

  const origin = (h: Harness) => new URL(h.gateway.url).origin;
  const port = (h: Harness) => Number(new URL(h.gateway.url).port);

  it('fails /readyz but still answers queries during SHUTDOWN_DELAY_MS, then refuses connections', async () => {
    const h = await start({ env: { SHUTDOWN_DELAY_MS: '800' } });
    expect((await fetch(`${origin(h)}/readyz`)).status).toBe(200);

    const stopped = stop(h);
    const ready = await fetch(`${origin(h)}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });

    const response = await h.query(SHORT);
    expect(response.body).toEqual({ data: { interaction: { guid: SAMPLE_GUID } } });
    expect(response.headers.get('connection')).toBe('close');

    await stopped;
    expect(await connectionError(port(h))).toBe('ECONNREFUSED');
  });

  it('lets an operation in flight finish with its data before stop() resolves', async () => {
    const h = await start({ latencyMs: 400 });
    // Ordered on the gateway's side: the client may parse the answer after stop() resolves.
    const order: string[] = [];
    h.gateway.httpServer.on('request', (_req, res: ServerResponse) =>
      res.on('finish', () => order.push('answered')),
    );
    const pending = h.query(INTERACTION, { guid: SAMPLE_GUID });
    // The stand-in has the request: the operation is in flight.
    await waitFor(() => h.api.peakInFlight() > 0);

    await stop(h).then(() => order.push('stopped'));
    const response = await pending;
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.interaction).toMatchObject({ guid: SAMPLE_GUID });
    expect(response.headers.get('connection')).toBe('close');
    expect(order).toEqual(['answered', 'stopped']);
  });

  /** A gateway whose only operation hangs upstream far past SHUTDOWN_GRACE_MS. */
  async function startHanging() {
    const h = await start({
      env: {
        SHUTDOWN_GRACE_MS: '200',
        OPERATION_TIMEOUT_MS: '60000',
        UPSTREAM_TIMEOUT_MS: '60000',
      },
    });
    h.api.inject(SAMPLE_GUID, { kind: 'hang' });
    // Settled either way at once, so that a rejection is never unhandled.
    const outcome = h.query(SHORT).then(
      (response) => ({ answered: response.body }),
      (error: unknown) => ({ failed: error }),
    );
    await waitFor(() => h.api.peakInFlight() > 0);
    return { h, outcome };
  }

  it('cuts an operation still hanging after SHUTDOWN_GRACE_MS, and stop() resolves', async () => {
    const { h, outcome } = await startHanging();
    // Generous: the point is that it ends at all, long before the 60 s timeouts.
    await withinMs(5000, stop(h));
    expect(await outcome).toHaveProperty('failed');
  });

  it('abandons the cut operation as cancelled, without retrying its Stats API request', async () => {
    const { h } = await startHanging();
    await withinMs(5000, stop(h));
    const lines = () => h.logLines();
    await waitFor(() => lines().some((line) => line.msg === 'operation'));
    expect(lines().find((line) => line.msg === 'operation')).toMatchObject({
      errorCodes: ['CLIENT_CLOSED_REQUEST'],
      upstreamCalls: 1,
      upstreamRetries: 0,
    });
    expect(lines().filter((line) => line.msg === 'upstream failure')).toEqual([
      expect.objectContaining({ kind: 'CANCELLED', retries: 0 }),
    ]);
  });

  // Not covered here: SIGTERM on the real process (`node dist/index.js`) needs a prior build;
  // .ci/run checks that the built gateway exits 0 on SIGTERM.
});

/** The error code of a fresh TCP connection to the gateway's port on loopback. */
function connectionError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

function withinMs<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
