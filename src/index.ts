import v8 from 'node:v8';

// graphql-js picks its instanceof check once, when it is first loaded, and outside production it
// is a slow one that guards against two copies of graphql (about 8% of the CPU per operation,
// measured). So NODE_ENV is settled before anything loads graphql: the gateway is imported only
// after this line, dynamically, because static imports are hoisted above any statement (and an
// import sorter may reorder them). Tests and an explicit NODE_ENV win; an empty one counts as
// unset, as every other variable does (docs/configuration.md).
if (!process.env.NODE_ENV?.trim()) process.env.NODE_ENV = 'production';

// V8 lets the old generation grow to about four times what survived its last full collection
// before collecting again; here that is some 21 MiB live, so the heap swung up to 88 MiB and the
// process peaked near 190 MiB under load. Collecting at one and a half times keeps the peak
// near 135 MiB. It costs CPU, about a third more where operations wait on several upstream
// calls each (docs/benchmarks.md); memory is what a container's limit is set by. Set here
// because the Dockerfile and the benchmarks run `node dist/index.js` with no flags; a
// `--heap-growing-percent` given to node (or in NODE_OPTIONS) wins.
const nodeFlags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
if (!nodeFlags.includes('--heap-growing-percent')) {
  v8.setFlagsFromString('--heap-growing-percent=50');
}

const { main } = await import('./main.js');
main().catch((error: unknown) => {
  console.error('gateway failed to start:', error);
  process.exit(1);
});
