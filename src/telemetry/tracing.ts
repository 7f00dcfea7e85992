import {
  ROOT_CONTEXT,
  trace,
  SpanStatusCode,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/**
 * OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: a span per operation
 * and, inside it, one per Stats API attempt, exported over OTLP/HTTP. The provider is the
 * gateway's own, not registered globally, so nothing else is traced by accident and several
 * gateways (the tests) keep apart. Off, the SDK and exporter are not even loaded (about 15 MiB
 * of the resident set), and nothing costs anything.
 */
export interface Tracing {
  /**
   * Starts an operation's span, inside the caller's trace when its W3C `traceparent` is given
   * (a router's, in a supergraph); the returned functions add its children and end it.
   */
  operation(requestId: string, traceparent?: string): OperationTrace;
  shutdown(): Promise<void>;
}

export interface OperationTrace {
  /** One Stats API attempt, after the fact: times are epoch milliseconds. */
  attempt(endpoint: string, status: string, startMs: number, endMs: number): void;
  end(operationName: string | null, errorCodes: string[]): void;
}

export async function createTracing(endpoint: string | undefined): Promise<Tracing | undefined> {
  if (!endpoint) return undefined;
  const [
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BasicTracerProvider, BatchSpanProcessor },
    { parseTraceParent },
  ] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/core'),
  ]);
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'stats-gateway' }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('stats-gateway');
  return {
    operation(requestId, traceparent) {
      // A malformed traceparent is ignored, as W3C Trace Context says: a trace of its own starts.
      const caller = traceparent ? parseTraceParent(traceparent) : null;
      const parent = caller ? trace.setSpanContext(ROOT_CONTEXT, caller) : ROOT_CONTEXT;
      return operationTrace(tracer, requestId, parent);
    },
    shutdown: () => provider.shutdown(),
  };
}

function operationTrace(tracer: Tracer, requestId: string, caller: Context): OperationTrace {
  const span: Span = tracer.startSpan(
    'graphql.operation',
    { attributes: { 'stats_gateway.request_id': requestId } },
    caller,
  );
  const parent = trace.setSpan(caller, span);
  return {
    attempt(endpoint, status, startMs, endMs) {
      tracer
        .startSpan(
          `Stats API ${endpoint}`,
          {
            startTime: startMs,
            attributes: {
              'http.request.method': 'GET',
              'http.response.status_code': Number(status) || undefined,
              'stats_gateway.upstream.outcome': status,
              'stats_gateway.request_id': requestId,
            },
          },
          parent,
        )
        .end(endMs);
    },
    end(operationName, errorCodes) {
      if (operationName) span.updateName(`graphql.operation ${operationName}`);
      span.setAttribute('graphql.operation.name', operationName ?? '');
      if (errorCodes.length > 0) {
        span.setAttribute('stats_gateway.error_codes', errorCodes);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}
