import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from '../../src/config.js';

// Every whole-number limit the settings tables give (docs/configuration.md, docs/live.md) is the
// one config.ts enforces: its ends are taken, one past either end is refused, naming the variable.

interface DocumentedLimit {
  name: string;
  min: number;
  max: number;
  /** `0 (off), or min to max`: 0 is taken too. */
  off: boolean;
}

function documentedLimits(file: string): DocumentedLimit[] {
  const text = readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8');
  const limits: DocumentedLimit[] = [];
  for (const [, name, cell] of text.matchAll(/^\| `([A-Z][A-Z0-9_]*)` +\|[^|]*\| ([^|]*?) +\|/gm)) {
    const range = /^(0 \(off\), or )?(\d+) to (\d+)$/.exec(cell as string);
    if (range) {
      limits.push({
        name: name as string,
        off: !!range[1],
        min: Number(range[2]),
        max: Number(range[3]),
      });
    }
  }
  return limits;
}

/** The problems parseConfig reports about `name` alone when it is set to `value`. */
function problemsWith(name: string, value: number): string[] {
  try {
    parseConfig({ [name]: String(value) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.filter((problem) => problem.startsWith(`${name} must be`));
  }
  return [];
}

describe.each(['configuration.md', 'live.md'])('the limits docs/%s gives', (file) => {
  const limits = documentedLimits(file);

  it('are there to check', () => {
    expect(limits.length).toBeGreaterThanOrEqual(6);
  });

  it.each(limits.map((limit) => [limit.name, limit] as const))(
    'are those config.ts enforces for %s',
    (name, { min, max, off }) => {
      expect(problemsWith(name, min)).toEqual([]);
      expect(problemsWith(name, max)).toEqual([]);
      expect(problemsWith(name, max + 1)).toHaveLength(1);
      if (min > 0) expect(problemsWith(name, min - 1)).toHaveLength(1);
      if (off) expect(problemsWith(name, 0)).toEqual([]);
    },
  );
});
