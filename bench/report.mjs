// Turning measurements into the table: medians over runs, and a Markdown table (it pastes into
// docs/benchmarks.md as it is).

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const MEDIAN_FIELDS = [
  'rps',
  'p50Ms',
  'p99Ms',
  'cpuMsPerOp',
  'peakRssMiB',
  'upstreamCallsPerOp',
  'stealPercent',
  'ratio',
  'serverCpuPercent',
  'otherCpuPercent',
];

/** One row per label: the median of each figure over the runs; errors are added up. */
export function summarise(runs) {
  const labels = [...new Set(runs.flatMap((run) => run.rows.map((row) => row.label)))];
  return labels.map((label) => {
    const rows = runs.flatMap((run) => run.rows.filter((row) => row.label === label));
    return {
      label,
      runs: rows.length,
      ...Object.fromEntries(
        MEDIAN_FIELDS.map((field) => [field, median(rows.map((r) => r[field]))]),
      ),
      errors: rows.reduce((sum, row) => sum + row.errors, 0),
    };
  });
}

const fixed = (digits) => (v) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const COLUMNS = [
  { title: 'Scenario', field: 'label', format: String, left: true },
  { title: 'req/s', field: 'rps', format: fixed(0) },
  { title: 'p50 ms', field: 'p50Ms', format: fixed(0) },
  { title: 'p99 ms', field: 'p99Ms', format: fixed(0) },
  { title: 'errors', field: 'errors', format: String },
  { title: 'CPU ms/op', field: 'cpuMsPerOp', format: fixed(3) },
  { title: 'peak RSS MiB', field: 'peakRssMiB', format: fixed(0) },
  { title: 'upstream calls/op', field: 'upstreamCallsPerOp', format: fixed(2) },
  { title: 'steal %', field: 'stealPercent', format: fixed(1) },
  { title: '× upstream', field: 'ratio', format: fixed(3) },
];

export function table(rows) {
  const cells = rows.map((row) => COLUMNS.map(({ field, format }) => format(row[field])));
  const widths = COLUMNS.map(({ title }, i) =>
    Math.max(title.length, ...cells.map((line) => line[i].length)),
  );
  const pad = (value, i) => (COLUMNS[i].left ? value.padEnd(widths[i]) : value.padStart(widths[i]));
  const line = (values) => `| ${values.map(pad).join(' | ')} |`;
  const rule = `| ${widths
    .map((w, i) => (COLUMNS[i].left ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`))
    .join(' | ')} |`;
  return [line(COLUMNS.map(({ title }) => title)), rule, ...cells.map(line)].join('\n');
}
