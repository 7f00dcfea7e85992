import { readFileSync } from 'node:fs';

/** Every field of an interaction: examples/full-interaction.graphql, as a detail view sends it. */
export const INTERACTION = readFileSync(
  new URL('../../examples/full-interaction.graphql', import.meta.url),
  'utf8',
);

/** Its `FullInteraction` fragment alone, to build other operations with. */
export const FULL_INTERACTION = INTERACTION.slice(INTERACTION.indexOf('fragment FullInteraction'));
