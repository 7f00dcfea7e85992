import { printSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { createSchema } from '../../src/graphql/schema.js';
import { AGENTS_SDL } from '../support/supergraph.js';

// CI's composition check: the subgraph SDL that FEDERATION=true serves must compose with the
// example agent directory (examples/federation/), so a schema change that would break a
// supergraph fails the build here rather than at someone's router.
const subgraphSdl = () => printSubgraphSchema(createSchema({ federation: true }));

function compose(statsSdl: string) {
  return composeServices([
    { name: 'stats', url: 'http://stats.invalid/graphql', typeDefs: parse(statsSdl) },
    { name: 'agents', url: 'http://agents.invalid/graphql', typeDefs: parse(AGENTS_SDL) },
  ]);
}

describe('composition of the subgraph schema', () => {
  it('composes with the agent directory without an error', () => {
    const result = compose(subgraphSdl());
    expect(result.errors).toBeUndefined();
    expect(result.publicSdl).toMatch(/type Party \{[^}]*\bagent: Agent\b/);
    expect(result.publicSdl).toMatch(/type Agent \{[^}]*\brecentInteractions: \[Interaction\]!/);
  });

  it('keeps _service and _entities out of the composed public schema', () => {
    expect(compose(subgraphSdl()).publicSdl).not.toMatch(/_service|_entities|_Any/);
  });

  it('fails when a change makes the shared Party.id disagree with the directory', () => {
    const broken = subgraphSdl().replace(/(type Party\b[^{]*\{[^}]*?\bid: )String/, '$1Int');
    expect(broken).not.toBe(subgraphSdl());
    expect(
      compose(broken)
        .errors?.map((error) => error.message)
        .join('\n'),
    ).toMatch(/Party\.id/);
  });

  it('fails when Interaction loses the key the directory refers to it by', () => {
    const broken = subgraphSdl().replace(/extend type Interaction\s+@key\(fields: "guid"\)/, '');
    expect(broken).not.toBe(subgraphSdl());
    expect(compose(broken).errors).toBeDefined();
  });
});
