import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { AUTH, TOKEN, type Harness } from '../support/harness.js';
import { liveClient, liveHarness, metric, rawSocket, subscribe, wsUrl } from '../support/live.js';
import { sleep, waitFor } from '../support/wait.js';

// The WebSocket entry itself: who may connect, the protocol's timers, the limits a socket and
// a token are held to, and what happens to a client that stops reading.

const ONGOING = 'subscription { ongoingInteractions { totalCount } }';
const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('the WebSocket entry', () => {
  let harness: Harness;
  let clients: Client[] = [];
  const client = (params?: Record<string, unknown>) => {
    const c = liveClient(harness.gateway.url, params);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    clients = [];
    await harness?.stop();
  });

  describe('with the default settings', () => {
    beforeEach(async () => {
      harness = await liveHarness(
        { [TOKEN]: [], 'token-b': [] },
        { env: { CORS_ORIGINS: 'https://wallboard.example.com' } },
      );
    });

    it('closes a connection without a credential with 4401 before anything else, and calls nothing upstream', async () => {
      const { socket, messages, closed } = rawSocket(harness.gateway.url);
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: ONGOING } }));
      expect(await closed).toEqual({ code: 4401, reason: 'Unauthorized' });
      expect(messages).toEqual([]);
      await sleep(300);
      expect(harness.upstreamCalls()).toBe(0);
    });

    it("takes the credential from connectionParams in either case, or from the upgrade request's Authorization header", async () => {
      for (const params of [
        { authorization: AUTH.authorization },
        { Authorization: AUTH.authorization },
      ]) {
        const feed = subscribe(client(params), ONGOING);
        await feed.waitForResults(1);
      }
      const { socket, messages } = rawSocket(harness.gateway.url, AUTH);
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init' }));
      await waitFor(() => messages.length > 0);
      expect(messages).toEqual([{ type: 'connection_ack' }]);
      socket.close();
      const sent = new Set(harness.api.requests.map((r) => r.headers.authorization));
      expect(sent).toEqual(new Set([AUTH.authorization]));
    });

    it("refuses a browser page from an origin outside CORS_ORIGINS, and lets in the gateway's own page and the listed ones", async () => {
      const upgrade = (origin: string) =>
        new Promise<number | 'open'>((resolve) => {
          const socket = new WebSocket(wsUrl(harness.gateway.url), 'graphql-transport-ws', {
            headers: { origin },
          });
          socket.on('open', () => {
            socket.close();
            resolve('open');
          });
          socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          socket.on('error', () => {});
        });
      const own = new URL(harness.gateway.url).origin;
      expect(await upgrade('https://evil.example.com')).toBe(403);
      expect(await upgrade(own)).toBe('open');
      expect(await upgrade('https://wallboard.example.com')).toBe('open');
    });

    it.each([
      ['another protocol', '/graphql', { upgrade: 'h2c' }, 400, 'only a WebSocket handshake'],
      ['a WebSocket handshake at another path', '/other', {}, 400, 'only a WebSocket handshake'],
      [
        'a handshake from an origin not allowed',
        '/graphql',
        { origin: 'https://evil.example.com' },
        403,
        'CORS_ORIGINS',
      ],
    ])('refuses %s with a JSON error, not an upgrade', async (_, path, headers, status, said) => {
      const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
        const request = http.request(new URL(path, harness.gateway.url), {
          headers: {
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
            'sec-websocket-version': '13',
            ...headers,
          },
        });
        request.on('upgrade', () => reject(new Error('upgraded')));
        request.on('response', (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += String(chunk)));
          response.on('end', () => resolve({ status: response.statusCode, body }));
        });
        request.on('error', reject);
        request.end();
      });
      expect(answer.status).toBe(status);
      expect(JSON.parse(answer.body)).toEqual({
        errors: [{ message: expect.stringContaining(said), extensions: { code: 'BAD_REQUEST' } }],
      });
    });

    it('refuses subscriptions over HTTP, saying where they run', async () => {
      const response = await harness.query(ONGOING);
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]).toMatchObject({
        message: expect.stringContaining('WebSocket'),
        extensions: { code: 'BAD_REQUEST' },
      });
      expect(harness.upstreamCalls()).toBe(0);
    });

    it('logs one line when a socket opens and one when it closes, with its request id, and counts open sockets', async () => {
      const { socket, closed } = rawSocket(harness.gateway.url, {
        ...AUTH,
        'x-request-id': 'wallboard-7',
      });
      await new Promise((resolve) => socket.once('open', resolve));
      expect(await metric(harness, 'stats_gateway_live_sockets')).toBe(1);
      socket.close(1000);
      await closed;
      await waitFor(() => harness.logLines().some((l) => l.msg === 'socket closed'));
      const lines = harness.logLines().filter((l) => l.requestId === 'wallboard-7');
      expect(lines.map((l) => l.msg)).toEqual(['socket open', 'socket closed']);
      expect(lines[1]).toMatchObject({ code: 1000, subscriptions: 0 });
      expect(harness.logs.join('')).not.toContain(TOKEN);
      expect(await metric(harness, 'stats_gateway_live_sockets')).toBe(0);
    });
  });

  describe('limits', () => {
    beforeEach(async () => {
      harness = await liveHarness(
        { [TOKEN]: [], 'token-b': [] },
        {
          env: { MAX_QUERY_DEPTH: '4', MAX_ALIASES: '1', MAX_GUIDS: '2', MAX_QUERY_TOKENS: '100' },
          live: {
            maxSubscriptionsPerSocket: 2,
            maxSubscriptionsPerToken: 3,
            connectionInitTimeoutMs: 300,
            keepAliveMs: 1000,
          },
        },
      );
    });

    const refusal = async (c: Client, query: string, variables?: Record<string, unknown>) => {
      const feed = subscribe(c, query, variables);
      await feed.ended();
      expect(feed.results).toEqual([]);
      return (feed.error as { extensions?: Record<string, unknown> }[])[0]?.extensions;
    };

    it('refuses a subscription over LIVE_MAX_SUBSCRIPTIONS_PER_SOCKET, then one over LIVE_MAX_SUBSCRIPTIONS_PER_TOKEN', async () => {
      const first = client();
      const open = [subscribe(first, ONGOING), subscribe(first, ONGOING)];
      await Promise.all(open.map((f) => f.waitForResults(1)));
      expect(await refusal(first, ONGOING)).toEqual({
        code: 'TOO_MANY_SUBSCRIPTIONS',
        limit: 'LIVE_MAX_SUBSCRIPTIONS_PER_SOCKET',
      });
      const second = client();
      await subscribe(second, ONGOING).waitForResults(1);
      expect(await refusal(second, ONGOING)).toEqual({
        code: 'TOO_MANY_SUBSCRIPTIONS',
        limit: 'LIVE_MAX_SUBSCRIPTIONS_PER_TOKEN',
      });
      // Another token has its own allowance; one completing frees a place.
      await subscribe(client({ Authorization: 'Bearer token-b' }), ONGOING).waitForResults(1);
      open[0]?.unsubscribe();
      await sleep(100);
      await subscribe(second, ONGOING).waitForResults(1);
    });

    it('refuses variables that do not fit the operation with BAD_USER_INPUT, as over HTTP', async () => {
      const c = client();
      const feed = `subscription($g: [ID!]!) { interactionUpdates(guids: $g) { guid } }`;
      expect((await refusal(c, feed))?.code).toBe('BAD_USER_INPUT');
      expect((await refusal(c, feed, { g: [{ not: 'an id' }] }))?.code).toBe('BAD_USER_INPUT');
      expect(harness.upstreamCalls()).toBe(0);
    });

    it('holds subscription documents to the request limits, before any upstream call', async () => {
      const c = client();
      const deep = `subscription { interactionUpdates { channels { events { channel { guid } } } } }`;
      expect(await refusal(c, deep)).toMatchObject({
        code: 'GRAPHQL_VALIDATION_FAILED',
        limit: 'MAX_QUERY_DEPTH',
      });
      const aliases = `subscription { a: interactionUpdates { guid } b: interactionUpdates { guid } }`;
      expect((await refusal(c, aliases))?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const many = `subscription($g: [ID!]) { interactionUpdates(guids: $g) { guid } }`;
      expect(await refusal(c, many, { g: [guid(1), guid(2), guid(3)] })).toMatchObject({
        code: 'BAD_USER_INPUT',
        limit: 'MAX_GUIDS',
      });
      // A malformed guid is refused by the resolver, as in queries: one error, then completion.
      const bad = subscribe(c, `subscription { interactionUpdates(guids: ["../x"]) { guid } }`);
      await bad.ended();
      expect(bad.completed).toBe(true);
      expect(bad.results.map((r) => r.errors?.[0]?.extensions)).toEqual([
        { code: 'BAD_USER_INPUT', argument: 'guids[0]' },
      ]);
      const long = `subscription { interactionUpdates { ${'guid '.repeat(120)} } }`;
      expect(await refusal(c, long)).toEqual({
        code: 'GRAPHQL_PARSE_FAILED',
        limit: 'MAX_QUERY_TOKENS',
      });
      expect(harness.upstreamCalls()).toBe(0);
    });

    it('pings every LIVE_KEEPALIVE_MS and cuts a socket that has not answered by the next ping', async () => {
      const answering = rawSocket(harness.gateway.url, AUTH);
      const silent = new WebSocket(wsUrl(harness.gateway.url), 'graphql-transport-ws', {
        headers: AUTH,
        autoPong: false,
      });
      let pings = 0;
      silent.on('ping', () => pings++);
      const cut = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
      // Both listeners before either socket can open: awaited one by one, the second socket
      // may open while the first is awaited, and its 'open' would then never be heard.
      const sockets = [answering.socket, silent];
      await Promise.all(sockets.map((socket) => new Promise((open) => socket.once('open', open))));
      for (const socket of sockets) socket.send(JSON.stringify({ type: 'connection_init' }));
      const started = Date.now();
      expect(await cut).toBe(1006);
      expect(pings).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(answering.socket.readyState).toBe(WebSocket.OPEN);
      answering.socket.close();
    });

    it('closes a socket that sends no connection_init in time with 4408', async () => {
      const { closed } = rawSocket(harness.gateway.url, AUTH);
      expect((await closed).code).toBe(4408);
    });
  });
});

describe('the WebSocket entry in allowlist mode', () => {
  let harness: Harness;
  let client: Client;
  const registered = 'subscription Registered { ongoingInteractions { totalCount } }';
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    const id = createHash('sha256').update(registered).digest('hex');
    const manifest = {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id, name: 'Registered', type: 'subscription', body: registered }],
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    harness = await liveHarness(
      { [TOKEN]: [] },
      { env: { PERSISTED_OPERATIONS_MANIFEST: join(dir, 'manifest.json') } },
    );
    client = liveClient(harness.gateway.url);
  });
  afterAll(async () => {
    await client.dispose();
    await harness.stop();
  });

  it('runs a registered subscription, by its text or its id, and refuses any other', async () => {
    await subscribe(client, registered).waitForResults(1);
    const hash = createHash('sha256').update(registered).digest('hex');
    const byId = client.iterate({
      query: '',
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    });
    expect((await byId.next()).value).toEqual({ data: { ongoingInteractions: { totalCount: 0 } } });
    await byId.return?.();

    const other = subscribe(client, ONGOING);
    await other.ended();
    expect(other.error).toEqual([
      expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } }),
    ]);
  });
});
