import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { startHarness, TOKEN } from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';

// OpenTelemetry: with OTEL_EXPORTER_OTLP_ENDPOINT set, each operation is a span and each Stats
// API attempt a child of it, exported over OTLP/HTTP (JSON) to a collector stand-in here.

interface ExportedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

async function startCollector() {
  const spans: ExportedSpan[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const payload = JSON.parse(body) as {
        resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[];
      };
      for (const resource of payload.resourceSpans) {
        for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const attribute = (span: ExportedSpan | undefined, key: string) => {
  const value = span?.attributes.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

describe('tracing', () => {
  it('exports a span per operation, with the request id, and one per Stats API attempt inside it', async () => {
    const collector = await startCollector();
    const harness = await startHarness(
      { [TOKEN]: [referenceInteraction()] },
      { env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } },
    );
    try {
      harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 503 }, 1);
      await harness.data(
        INTERACTION,
        { guid: SAMPLE_GUID },
        { authorization: `Bearer ${TOKEN}`, 'x-request-id': 'trace-req-1' },
      );
      harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 500 }, 1);
      await harness.query('query Failing($guid: ID!) { interaction(guid: $guid) { guid } }', {
        guid: SAMPLE_GUID,
      });
    } finally {
      await harness.stop(); // flushes the spans
      await collector.close();
    }
    const operation = collector.spans.find((span) => span.name === 'graphql.operation One');
    expect(attribute(operation, 'stats_gateway.request_id')).toBe('trace-req-1');
    expect(attribute(operation, 'graphql.operation.name')).toBe('One');
    const attempts = collector.spans.filter(
      (span) =>
        span.name === 'Stats API interaction' &&
        attribute(span, 'stats_gateway.request_id') === 'trace-req-1',
    );
    expect(attempts.map((span) => attribute(span, 'stats_gateway.upstream.outcome'))).toEqual([
      '503',
      '200',
    ]);
    const failing = collector.spans.find((span) => span.name === 'graphql.operation Failing');
    expect(attribute(failing, 'stats_gateway.error_codes')).toEqual({
      values: [{ stringValue: 'UPSTREAM_UNAVAILABLE' }],
    });
    expect((failing as { status?: { code?: number } } | undefined)?.status?.code).toBe(2);
    for (const attempt of attempts) {
      expect(attempt.traceId).toBe(operation?.traceId);
      expect(attempt.parentSpanId).toBe(operation?.spanId);
    }
  });

  it('joins the caller’s trace when a router sends its W3C traceparent, and ignores a malformed one', async () => {
    const collector = await startCollector();
    const harness = await startHarness(
      { [TOKEN]: [referenceInteraction()] },
      { env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } },
    );
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const routerSpan = '00f067aa0ba902b7';
    const query = 'query Joined($guid: ID!) { interaction(guid: $guid) { guid } }';
    try {
      const auth = `Bearer ${TOKEN}`;
      await harness.data(
        query,
        { guid: SAMPLE_GUID },
        {
          authorization: auth,
          traceparent: `00-${traceId}-${routerSpan}-01`,
        },
      );
      await harness.data(
        query.replace('Joined', 'Malformed'),
        { guid: SAMPLE_GUID },
        { authorization: auth, traceparent: '00-not-a-trace-01' },
      );
    } finally {
      await harness.stop();
      await collector.close();
    }
    const joined = collector.spans.find((span) => span.name === 'graphql.operation Joined');
    expect(joined?.traceId).toBe(traceId);
    expect(joined?.parentSpanId).toBe(routerSpan);
    const attempt = collector.spans.find(
      (span) => span.name === 'Stats API interaction' && span.parentSpanId === joined?.spanId,
    );
    expect(attempt?.traceId).toBe(traceId);
    const own = collector.spans.find((span) => span.name === 'graphql.operation Malformed');
    expect(own?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(own?.traceId).not.toBe(traceId);
    expect(own?.parentSpanId ?? '').toBe('');
  });
});
