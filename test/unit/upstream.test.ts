import { readFileSync, existsSync } from 'node:fs';
import { generateInteractions } from '../../src/demo/demoData.js';
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

describe('demo data', () => {
  it('generates interactions the gateway accepts, the same on every start', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    const items = generateInteractions(50, now);
    for (const item of items) expect(parseInteraction(JSON.stringify(item))).toEqual(item);
    expect(generateInteractions(50, now)).toEqual(items);
    expect(new Set(items.map((i) => i.guid)).size).toBe(50);
    expect(items.filter((i) => i.status === 'Ongoing').every((i) => i.duration === null)).toBe(
      true,
    );
  });

  // The demo ships a copy of shared/fixtures/interaction-example.json; where the shared folder
  // sits beside the clone (CI, developers), the copy must not drift from it.
  const shared = new URL('../../../shared/fixtures/interaction-example.json', import.meta.url);
  (existsSync(shared) ? it : it.skip)(
    'ships the reference sample exactly as shared/ has it',
    () => {
      expect(referenceInteraction()).toEqual(JSON.parse(readFileSync(shared, 'utf8')));
    },
  );
});
