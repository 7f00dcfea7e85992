import { startStatsApi, type StatsApi } from '../../src/demo/statsApi.js';
import { STATS_ACCEPT } from '../../src/upstream/statsHttp.js';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';

// The stand-in is what `npm start` serves and what every other suite trusts to behave like the
// Stats API, so its own refusals are checked against the documented bodies (stats-api.md 5.1).
describe('the stand-in Stats API', () => {
  let api: StatsApi;
  beforeAll(async () => {
    api = await startStatsApi({ accounts: { demo: [referenceInteraction()] } });
  });
  afterAll(() => api.close());

  async function get(path: string, headers: Record<string, string>) {
    const response = await fetch(`${api.url}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const ok = { accept: STATS_ACCEPT, authorization: 'Bearer demo' };

  it.each([
    [
      'no version in Accept',
      { ...ok, accept: 'application/json' },
      400,
      { statusCode: 400, error: 'Bad Request', message: 'Invalid Accept header!' },
    ],
    [
      'an unsupported version',
      { ...ok, accept: 'application/vnd.newvoicemedia.v4+json' },
      400,
      { statusCode: 400, error: 'Bad Request', message: 'Invalid api-version! Valid values: 2,3' },
    ],
    [
      'no token',
      { accept: STATS_ACCEPT },
      401,
      { error_description: 'The access token is missing', error: 'invalid_request' },
    ],
    [
      'an unknown token',
      { ...ok, authorization: 'Bearer nope' },
      401,
      { error_description: 'The access token is invalid or has expired', error: 'invalid_token' },
    ],
  ])('refuses %s with the documented body', async (_, headers, status, body) => {
    expect(await get(`/interactions/${SAMPLE_GUID}`, headers)).toEqual({ status, body });
  });

  it('refuses a window over 31 days with the documented body', async () => {
    const query = '?start=2020-01-01T00:00:00Z&end=2020-02-02T00:00:00Z';
    expect(await get(`/interactions${query}`, ok)).toEqual({
      status: 400,
      body: { message: 'Request window size limit exceeded 31 days' },
    });
  });

  it('answers a malformed percent-escape with 404 and stays up', async () => {
    expect((await get('/interactions/%E0%A4%A', ok)).status).toBe(404);
    expect((await get(`/interactions/${SAMPLE_GUID}`, ok)).status).toBe(200);
  });
});
