// Preloaded into the gateway's process by test/process/ (`node --import`). As the process exits,
// it writes which instanceof check graphql-js settled on when the gateway loaded it: production's
// plain one, or development's, which throws on a look-alike object from another copy of graphql.
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
process.on('exit', () => {
  const { isSchema } = require('graphql');
  let mode = 'production';
  try {
    isSchema({ [Symbol.toStringTag]: 'GraphQLSchema' });
  } catch {
    mode = 'development';
  }
  process.stdout.write(`graphql-js mode: ${mode}\n`);
});
