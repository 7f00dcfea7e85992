// graphql-js picks its instanceof check once, when it is first loaded, and outside production it
// is a slow one that guards against two copies of graphql (about 8% of the CPU per operation,
// measured). So NODE_ENV is settled before anything loads graphql: the gateway is imported only
// after this line, dynamically, because static imports are hoisted above any statement (and an
// import sorter may reorder them). Tests and an explicit NODE_ENV win.
process.env.NODE_ENV ??= 'production';

const { main } = await import('./main.js');
main().catch((error: unknown) => {
  console.error('gateway failed to start:', error);
  process.exit(1);
});
