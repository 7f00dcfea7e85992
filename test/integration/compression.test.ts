import { brotliCompressSync, gzipSync } from 'node:zlib';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { INTERACTION } from '../support/queries.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';

// The gateway asks the Stats API for compressed bodies (lists run to megabytes) and decodes
// them, holding UPSTREAM_MAX_RESPONSE_BYTES to what they decompress to.

const sample = referenceInteraction();
const body = JSON.stringify(sample);

describe('compressed Stats API bodies', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [sample] },
      { env: { UPSTREAM_MAX_RESPONSE_BYTES: String(1024 * 1024) } },
    );
  });
  afterAll(() => harness.stop());

  const full = async () => {
    const response = await harness.query(INTERACTION, { guid: SAMPLE_GUID });
    return response.body;
  };

  /** A gzip body the gateway must refuse as over UPSTREAM_MAX_RESPONSE_BYTES, saying so. */
  const expectRefusedOverTheCap = async (gzipped: Buffer) => {
    const headers = { 'content-encoding': 'gzip', 'content-type': 'application/json' };
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 200, headers, body: gzipped }, 1);
    const answer = await full();
    expect(answer.data).toEqual({ interaction: null });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(harness.logs.join('')).toContain('UPSTREAM_MAX_RESPONSE_BYTES');
  };

  it('asks for gzip or brotli', async () => {
    await full();
    expect(harness.api.requests.at(-1)?.headers['accept-encoding']).toBe('gzip, br');
  });

  it.each([
    ['gzip', gzipSync(body)],
    ['br', brotliCompressSync(body)],
  ])('decodes a %s body into the same answer', async (encoding, compressed) => {
    const plain = await full();
    const headers = { 'content-encoding': encoding, 'content-type': 'application/json' };
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 200, headers, body: compressed }, 1);
    expect(compressed.length).toBeLessThan(body.length / 3);
    expect(await full()).toEqual(plain);
    expect(plain.errors).toBeUndefined();
  });

  it.each(['gzip', 'deflate', 'br'])(
    'refuses a body labelled %s that does not decode, as a bad answer and once',
    async (encoding) => {
      const before = harness.upstreamCalls();
      const headers = { 'content-encoding': encoding, 'content-type': 'application/json' };
      const garbled = Buffer.from(body.slice(0, 200));
      harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 200, headers, body: garbled }, 1);
      const answer = await full();
      expect(answer.data).toEqual({ interaction: null });
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_BAD_RESPONSE']);
      expect(harness.upstreamCalls() - before).toBe(1);
    },
  );

  it("reads a compressed refusal's message", async () => {
    const refusal = gzipSync(JSON.stringify({ message: 'Invalid api-version!' }));
    const headers = { 'content-encoding': 'gzip', 'content-type': 'application/json' };
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 400, headers, body: refusal }, 1);
    const [error] = (await full()).errors ?? [];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toBe('The Stats API refused the request. It said: Invalid api-version!');
  });

  it('refuses a body that decompresses to more than UPSTREAM_MAX_RESPONSE_BYTES', async () => {
    // 4 MiB of spaces inside a valid interaction: 4 KiB compressed, 4× the cap decompressed.
    const bomb = gzipSync(`${body.slice(0, -1)}${' '.repeat(4 * 1024 * 1024)}}`);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expectRefusedOverTheCap(bomb);
    // The gateway is unharmed: the next answer is whole.
    expect((await full()).errors).toBeUndefined();
  });

  it('refuses a compressed body that arrives over UPSTREAM_MAX_RESPONSE_BYTES, however little it decompresses to', async () => {
    // The interaction, then 60,000 empty gzip members: 1.2 MB arrives, 10 KB comes out of it.
    const empty = gzipSync('');
    const padded = Buffer.concat([gzipSync(body), ...Array<Buffer>(60_000).fill(empty)]);
    expect(padded.length).toBeGreaterThan(1024 * 1024);
    await expectRefusedOverTheCap(padded);
  });
});
