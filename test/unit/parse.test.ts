import { UpstreamError } from '../../src/upstream/upstreamError.js';
import { parseInteraction } from '../../src/upstream/parse.js';
import { referenceInteraction } from '../support/fixture.js';

function parseError(body: unknown): string {
  try {
    parseInteraction(JSON.stringify(body));
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).kind).toBe('BAD_RESPONSE');
    return (error as Error).message;
  }
  throw new Error('expected a BAD_RESPONSE');
}

describe('parseInteraction', () => {
  it('accepts the reference sample unchanged', () => {
    const sample = referenceInteraction();
    expect(parseInteraction(JSON.stringify(sample))).toEqual(sample);
  });

  it('serves null channel and event lists as empty', () => {
    const parsed = parseInteraction(JSON.stringify({ guid: 'g', channels: [{ events: null }] }));
    expect(parsed.channels).toEqual([{ events: [] }]);
  });

  it.each([
    [[], 'interaction is not an object'],
    [{ channels: [] }, 'interaction.guid is not a string'],
    [{ guid: 'g', duration: 1.5 }, 'interaction.duration is not an integer'],
    [{ guid: 'g', channels: {} }, 'interaction.channels is not an array'],
    [
      { guid: 'g', interactionPlanMapping: { reportingGroup: 3 } },
      'interactionPlanMapping.reportingGroup',
    ],
    [{ guid: 'g', channels: [{ party: { role: [] } }] }, 'channels[0].party.role is not a string'],
    [
      { guid: 'g', channels: [{ events: [{ name: 'x' }] }] },
      'channels[0].events[0].type is not a string',
    ],
    [{ guid: 'g', channels: [{ events: ['Ringing'] }] }, 'channels[0].events[0] is not an object'],
  ])('refuses %j, naming the path', (body, message) => {
    expect(parseError(body)).toContain(message);
  });
});
