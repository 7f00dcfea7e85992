import { readFileSync } from 'node:fs';
import { generateInteractions } from '../../src/demo/demoData.js';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';

// The dashboard queries of docs/clients.md, run as written: an example there that breaks fails
// here.
const clientsGuide = readFileSync(new URL('../../docs/clients.md', import.meta.url), 'utf8');
function example(name: string): string {
  const match = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`graphql\\n([\\s\\S]*?)\`\`\``).exec(
    clientsGuide,
  );
  if (!match?.[1]) throw new Error(`docs/clients.md has no example "${name}"`);
  return match[1];
}

interface Change {
  guid: string;
  status: string;
}

describe('the dashboard examples in docs/clients.md', () => {
  const now = Date.now();
  const generated = generateInteractions(40, new Date(now));
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ [TOKEN]: [referenceInteraction(), ...generated] });
  });
  afterAll(() => harness.stop());

  it("lists a day's interactions", async () => {
    const data = await harness.data(example('day'), {
      start: new Date(now - 86_400_000).toISOString(),
    });
    const page = data.interactions as { totalCount: number; items: unknown[] };
    expect(page.totalCount).toBe(
      generated.filter((i) => Date.parse(i.start as string) >= now - 86_400_000).length,
    );
    expect(page.items.length).toBe(page.totalCount);
  });

  it('lists ongoing calls', async () => {
    const data = await harness.data(example('ongoing'));
    const ongoing = generated.filter((i) => i.status === 'Ongoing');
    expect(ongoing.length).toBeGreaterThan(0);
    expect((data.ongoingInteractions as { totalCount: number }).totalCount).toBe(ongoing.length);
  });

  it('shows a timeline', async () => {
    const data = await harness.data(example('timeline'), { guid: SAMPLE_GUID });
    const interaction = data.interaction as {
      events: { type: string }[];
      metrics: { talkTime: number };
    };
    expect(interaction.metrics.talkTime).toBe(59165);
    expect(interaction.events.map((e) => e.type)).toEqual([
      'Ringing',
      'Connected',
      'Queue',
      'Ringing',
      'Connected',
      'Wrap',
    ]);
  });

  it('polls with upTo as the next start and de-duplicates by guid', async () => {
    const latest = new Map<string, Change>();
    let since = new Date(now - 3_600_000).toISOString();
    for (let poll = 0; poll < 2; poll++) {
      const data = await harness.data(example('polling'), { since });
      const page = data.interactions as { upTo: string; pageCount: number; items: Change[] };
      expect(page.pageCount).toBeLessThanOrEqual(1);
      for (const item of page.items) latest.set(item.guid, item);
      expect(Date.parse(page.upTo)).toBeGreaterThanOrEqual(Date.parse(since));
      since = page.upTo;
    }
    // Processed: started, ended or categorised in either window (they are contiguous), or
    // still ongoing; the ongoing ones come back in both polls and are kept once.
    const since0 = now - 3_600_000;
    const expected = generated.filter((i) => {
      const start = Date.parse(i.start as string);
      const times = [start, start + (i.duration ?? -Infinity), Date.parse(i.categorizedAt ?? '')];
      return i.status === 'Ongoing' || times.some((t) => t >= since0);
    });
    expect([...latest.keys()].sort()).toEqual(expected.map((i) => i.guid).sort());
    const calls = harness.api.requests.filter((r) => r.path.includes('include=Processed'));
    expect(calls).toHaveLength(2);
  });
});
