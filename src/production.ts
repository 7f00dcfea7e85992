// Imported first by index.ts, before anything loads graphql: graphql-js picks its instanceof
// check once, at load, and outside production it is a slow one that guards against two copies
// of graphql (about 8% of the CPU per operation, measured). Tests and explicit settings win.
process.env.NODE_ENV ??= 'production';
