import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import net, { type Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import WebSocket from 'ws';
import { generateInteractions } from '../../src/demo/demoData.js';
import { AUTH, harnessPerTest, startHarness, TOKEN, type Harness } from '../support/harness.js';
import { liveClient, subscribe } from '../support/live.js';

// Compressed answers for clients that ask for them (src/http/compression.ts, and
// permessage-deflate in src/http/socketServer.ts): a page of 100 interactions with their
// timelines is about 170 kB of JSON, and a tenth of that compressed.

const ACCOUNTS = {
  [TOKEN]: generateInteractions(100, new Date(), 7).map((item) => ({
    ...item,
    status: 'Ongoing',
    duration: null,
  })),
};
const PAGE_FIELDS = `ongoingInteractions(limit: 100) {
    totalCount
    items { guid start serviceName events { __typename type offset duration at channel { party { role } } } }
  }`;
const PAGE = `query Page { ${PAGE_FIELDS} }`;
const SMALL = 'query Small { ongoingInteractions(limit: 1) { totalCount } }';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as it came over the wire, still encoded. */
  wire: Buffer;
}

/** One request over node:http, which (unlike fetch) neither asks for nor decodes a coding. */
function send(
  url: string | URL,
  { method = 'POST', headers = {}, body }: { method?: string; headers?: object; body?: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers: { ...AUTH, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, wire: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

const post = (harness: Harness, query: string, acceptEncoding?: string) =>
  send(harness.gateway.url, {
    headers: {
      'content-type': 'application/json',
      ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }),
    },
    body: JSON.stringify({ query }),
  });

/** The body decoded as its Content-Encoding says, parsed. */
function decoded({ headers, wire }: RawAnswer): unknown {
  const decode = { br: brotliDecompressSync, gzip: gunzipSync, deflate: inflateSync }[
    headers['content-encoding'] ?? ''
  ];
  return JSON.parse((decode ? decode(wire) : wire).toString('utf8'));
}

/** Words of a comma-separated header, lower-cased. */
const words = (value: string | undefined) =>
  (value ?? '').split(',').map((word) => word.trim().toLowerCase());

describe('compressed answers over HTTP, by default', () => {
  let harness: Harness;
  let identity: RawAnswer;
  beforeAll(async () => {
    harness = await startHarness(ACCOUNTS, { env: { CORS_ORIGINS: 'https://app.example.com' } });
    identity = await post(harness, PAGE);
  });
  afterAll(() => harness.stop());

  const PREFLIGHT = { 'apollo-require-preflight': 'true' };
  const getUrl = (query: string) => {
    const url = new URL(harness.gateway.url);
    url.searchParams.set('query', query);
    return url;
  };

  it('sends a large answer as it is to a client that asks for no coding', () => {
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.wire.length).toBeGreaterThan(100_000);
    expect(decoded(identity)).toMatchObject({ data: { ongoingInteractions: { totalCount: 100 } } });
  });

  it.each(['br', 'gzip', 'deflate'])(
    'sends the same large answer as %s, in under a fifth of the bytes',
    async (coding) => {
      const answer = await post(harness, PAGE, coding);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe(coding);
      expect(Number(answer.headers['content-length'])).toBe(answer.wire.length);
      expect(answer.wire.length).toBeLessThan(identity.wire.length / 5);
      expect(decoded(answer)).toEqual(decoded(identity));
    },
  );

  it.each([
    ['gzip, deflate, br', 'br'],
    ['deflate, gzip', 'gzip'],
    ['*', 'br'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0, gzip, deflate', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['br;q=0, gzip;q=0, deflate', 'deflate'],
    ['gzip;q=0.5, identity', 'identity'],
    ['*;q=0', 'identity'],
    ['identity', 'identity'],
    ['compress, zstd-unknown', 'identity'],
  ])('answers Accept-Encoding "%s" with %s', async (acceptEncoding, coding) => {
    const answer = await post(harness, PAGE, acceptEncoding);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding'] ?? 'identity').toBe(coding);
    expect(decoded(answer)).toEqual(decoded(identity));
  });

  it('sends an answer under COMPRESSION_MIN_BYTES as it is, whatever the client accepts', async () => {
    const answer = await post(harness, SMALL, 'br, gzip, deflate');
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(decoded(answer)).toEqual({ data: { ongoingInteractions: { totalCount: 100 } } });
  });

  it.each([
    ['a compressed answer', () => post(harness, PAGE, 'br')],
    ['an answer too small to compress', () => post(harness, SMALL, 'br')],
    ['a GET', () => send(getUrl(SMALL), { method: 'GET', headers: PREFLIGHT })],
    ['a GraphQL error', () => post(harness, '{ nope }', 'br')],
    [
      'a body that is not JSON',
      () =>
        send(harness.gateway.url, { headers: { 'content-type': 'application/json' }, body: '{' }),
    ],
    ['a CSRF refusal', () => send(getUrl(SMALL), { method: 'GET' })],
  ])('varies on Accept-Encoding and Origin in %s', async (_, request) => {
    const answer = await request();
    expect(words(answer.headers.vary)).toEqual(
      expect.arrayContaining(['origin', 'accept-encoding']),
    );
  });

  it('compresses a persisted query answered over GET, and leaves it cacheable', async () => {
    const query = `query PersistedPage { ${PAGE_FIELDS} }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const registered = await send(harness.gateway.url, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions }),
    });
    expect(registered.status).toBe(200);

    const byHash = new URL(harness.gateway.url);
    byHash.searchParams.set('extensions', JSON.stringify(extensions));
    const get = () =>
      send(byHash, { method: 'GET', headers: { ...PREFLIGHT, 'accept-encoding': 'gzip, br' } });
    const [first, second] = [await get(), await get()];
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('br');
    expect(decoded(first)).toEqual(decoded(registered));
    expect(first.headers['cache-control']).toBe('max-age=5, private');
    expect(words(first.headers.vary)).toEqual(expect.arrayContaining(['accept-encoding']));
    // The same answer compresses to the same bytes, so a cache holds one copy per coding.
    expect(second.wire).toEqual(first.wire);
  });
});

describe('compression settings', () => {
  const { start } = harnessPerTest();

  it('with COMPRESSION=false, sends every answer as it is and does not vary on Accept-Encoding', async () => {
    const harness = await start(ACCOUNTS, { env: { COMPRESSION: 'false' } });
    const answer = await post(harness, PAGE, 'br, gzip');
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(decoded(answer)).toMatchObject({ data: { ongoingInteractions: { totalCount: 100 } } });
    expect(words(answer.headers.vary)).not.toContain('accept-encoding');
  });

  it('with COMPRESSION_MIN_BYTES=0, compresses even a small answer', async () => {
    const harness = await start(ACCOUNTS, { env: { COMPRESSION_MIN_BYTES: '0' } });
    const answer = await post(harness, SMALL, 'gzip');
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(decoded(answer)).toEqual({ data: { ongoingInteractions: { totalCount: 100 } } });
  });
});

describe('compressed messages over WebSocket', () => {
  const { start, started } = harnessPerTest();

  /**
   * A graphql-ws client over `ws` that offers permessage-deflate or not, with the TCP socket
   * under it, whose bytesRead is what came over the wire.
   */
  function client(offer: boolean) {
    const tcp: Socket[] = [];
    const sockets: WebSocket[] = [];
    class Offering extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, {
          perMessageDeflate: offer,
          createConnection: ((options: net.NetConnectOpts) => {
            const socket = net.connect(options);
            tcp.push(socket);
            return socket;
          }) as typeof net.connect,
        });
        sockets.push(this);
      }
    }
    const live = liveClient(started().gateway.url, undefined, { webSocketImpl: Offering });
    return { live, tcp, sockets };
  }

  /** The page over HTTP, as the subscription's first message must carry it. */
  const pageOverHttp = async () => decoded(await post(started(), PAGE));

  it.each([
    {
      offer: true,
      what: 'offers permessage-deflate gets it, and the page in under a fifth of its bytes',
    },
    { offer: false, what: 'offers nothing still gets the page, uncompressed' },
  ])('a client that $what', async ({ offer }) => {
    await start(ACCOUNTS);
    const expected = await pageOverHttp();
    const { live, tcp, sockets } = client(offer);
    try {
      const page = subscribe(live, `subscription Page { ${PAGE_FIELDS} }`);
      const [first] = await page.waitForResults(1);
      expect(first).toEqual(expected);
      const bytes = Buffer.byteLength(JSON.stringify(expected));
      const read = tcp.reduce((sum, socket) => sum + socket.bytesRead, 0);
      if (offer) {
        expect(sockets[0]?.extensions).toMatch(/^permessage-deflate/);
        expect(read).toBeLessThan(bytes / 5);
      } else {
        expect(sockets[0]?.extensions).toBe('');
        expect(read).toBeGreaterThan(bytes);
      }
    } finally {
      await live.dispose();
    }
  });

  it('with COMPRESSION=false, does not negotiate permessage-deflate with a client that offers it', async () => {
    await start(ACCOUNTS, { env: { COMPRESSION: 'false' } });
    const expected = await pageOverHttp();
    const { live, sockets } = client(true);
    try {
      const [first] = await subscribe(live, `subscription Page { ${PAGE_FIELDS} }`).waitForResults(
        1,
      );
      expect(first).toEqual(expected);
      expect(sockets[0]?.extensions).toBe('');
    } finally {
      await live.dispose();
    }
  });
});
