import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { AUTH, startHarness, TOKEN, type Harness } from '../support/harness.js';

// Allowlist mode (PERSISTED_OPERATIONS_MANIFEST): only registered operations run. The manifest
// here registers every examples/*.graphql document, as an app's build would.

const EXAMPLES = new URL('../../examples/', import.meta.url);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const bodies = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith('.graphql'))
  .map((name) => readFileSync(new URL(name, EXAMPLES), 'utf8'));
const SUMMARY = bodies.find((body) => body.includes('query MobileSummary')) as string;
const sample = referenceInteraction();

function writeManifest(operations: { id: string; body: string }[], extra: object = {}): string {
  const path = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'manifest.json');
  const manifest = { format: 'apollo-persisted-query-manifest', version: 1, operations, ...extra };
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

describe('allowlist mode', () => {
  let harness: Harness;
  beforeAll(async () => {
    const operations = bodies.map((body) => ({ id: sha256(body), body }));
    harness = await startHarness(
      { [TOKEN]: [sample] },
      { env: { PERSISTED_OPERATIONS_MANIFEST: writeManifest(operations) } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  const post = async (payload: object) => {
    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify(payload),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
  const summaryOf = (body: Record<string, unknown>) =>
    (body.data as { interaction: { guid: string; status: string } } | undefined)?.interaction;

  it('runs a registered operation sent by its id, over POST and over GET', async () => {
    const posted = await post({ ...byId(sha256(SUMMARY)), variables: { guid: SAMPLE_GUID } });
    expect(summaryOf(posted.body)).toMatchObject({ guid: SAMPLE_GUID, status: sample.status });

    const url = new URL(harness.gateway.url);
    url.searchParams.set('extensions', JSON.stringify(byId(sha256(SUMMARY)).extensions));
    url.searchParams.set('variables', JSON.stringify({ guid: SAMPLE_GUID }));
    const got = await fetch(url, { headers: { ...AUTH, 'apollo-require-preflight': 'true' } });
    expect(got.status).toBe(200);
    expect(summaryOf((await got.json()) as Record<string, unknown>)).toMatchObject({
      guid: SAMPLE_GUID,
    });
  });

  it('runs a registered operation sent as its exact text', async () => {
    const response = await post({ query: SUMMARY, variables: { guid: SAMPLE_GUID } });
    expect(summaryOf(response.body)).toMatchObject({ guid: SAMPLE_GUID });
  });

  it.each([
    ['an unregistered query', { query: `{ interaction(guid: "${SAMPLE_GUID}") { guid } }` }],
    ['a registered query with one character changed', { query: `${SUMMARY} ` }],
    ['an unknown id', byId(sha256('query Other { __typename }'))],
    ['introspection', { query: '{ __schema { queryType { name } } }' }],
    ['neither a query nor an id', {}],
  ])('refuses %s with PERSISTED_QUERY_NOT_ALLOWED and no upstream call', async (_, payload) => {
    const response = await post({ ...payload, variables: { guid: SAMPLE_GUID } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [
        {
          message:
            'Only registered operations run on this gateway; send a registered operation id.',
          extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' },
        },
      ],
    });
    expect(harness.upstreamCalls()).toBe(0);
  });
  it('refuses a body that is not one operation (a batch), with no upstream call', async () => {
    const registered = { ...byId(sha256(SUMMARY)), variables: { guid: SAMPLE_GUID } };
    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify([registered, registered]),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } }],
    });
    expect(harness.upstreamCalls()).toBe(0);
  });

  it.each([
    ['an unregistered query', { query: `{ interaction(guid: "${SAMPLE_GUID}") { guid } }` }],
    ['extensions that are not JSON', { extensions: '{"persistedQuery":' }],
  ])('refuses %s over GET too, uncacheable, with no upstream call', async (_, params) => {
    const url = new URL(harness.gateway.url);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const response = await fetch(url, { headers: { ...AUTH, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(((await response.json()) as { errors: { extensions: unknown }[] }).errors[0]).toEqual(
      expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } }),
    );
    expect(harness.upstreamCalls()).toBe(0);
  });
});

describe('a broken manifest', () => {
  it.each([
    [
      'an id that is not the SHA-256 of its body',
      [{ id: 'abc', body: SUMMARY }],
      {},
      'operations[0]',
    ],
    ['another format', [], { format: 'relay' }, '"format"'],
  ])('stops the gateway at boot: %s', async (_, operations, extra, named) => {
    const path = writeManifest(operations, extra);
    await expect(
      startHarness({ [TOKEN]: [sample] }, { env: { PERSISTED_OPERATIONS_MANIFEST: path } }),
    ).rejects.toThrow(named);
  });
});
