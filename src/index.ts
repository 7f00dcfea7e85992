import v8 from 'node:v8';

// graphql-js picks its instanceof check once, when it is first loaded, and outside production it
// is a slow one that guards against two copies of graphql (about 8% of the CPU per operation,
// measured). So NODE_ENV is settled before anything loads graphql: the gateway is imported only
// after this line, dynamically, because static imports are hoisted above any statement (and an
// import sorter may reorder them). Tests and an explicit NODE_ENV win; an empty one counts as
// unset, as every other variable does (docs/configuration.md).
if (!process.env.NODE_ENV?.trim()) process.env.NODE_ENV = 'production';

// V8 lets the old generation grow to about four times what survived its last full collection
// before collecting again, so under load the heap swings far above what is live. Collecting at
// one and a half times keeps the peak lower: on Node 26, 197-209 MiB against 274-300 in the peer
// kit's S1, 221-239 against 309-325 in S3. It costs CPU, a fifth more in S1 (docs/benchmarks.md);
// memory is what a container's limit is set by. Set here because the Dockerfile and the
// benchmarks run `node dist/index.js` with no flags; a `--heap-growing-percent` given to node on
// its command line wins (NODE_OPTIONS does not take V8's flags: node refuses to start).
if (!process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) {
  v8.setFlagsFromString('--heap-growing-percent=50');
}

const { main } = await import('./main.js');
main().catch((error: unknown) => {
  console.error('gateway failed to start:', error);
  process.exit(1);
});
