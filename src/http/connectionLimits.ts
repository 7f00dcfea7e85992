import type http from 'node:http';

/**
 * The request line and headers of one request, in bytes; more is answered 431. Node's default,
 * pinned here so that NODE_OPTIONS=--max-http-header-size cannot raise it. It leaves room for a
 * GET that carries a whole query in its URL.
 */
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Node's own limits, which hold before the request handler runs. A request's headers and whole
 * body must arrive within the operation's deadline, counted from its first byte, else Node
 * answers 408 and closes the connection (the handler bounds its body read by the same deadline,
 * so a trickled body is answered on time whatever the check interval). Node checks these limits
 * on an interval, 30 s by default: here a quarter of the deadline, at most 1 s, so a limit is
 * enforced within that much of passing. The headers timer starts at a request's first byte
 * (Node 18 and later; a connection's first request, at connect), so an idle kept-alive
 * connection is governed by the keep-alive timeout alone, and headersTimeout may be shorter
 * than keepAliveTimeout.
 */
export function connectionLimits(
  operationTimeoutMs: number,
  keepAliveTimeoutMs: number,
): http.ServerOptions {
  return {
    requestTimeout: operationTimeoutMs,
    headersTimeout: operationTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.ceil(operationTimeoutMs / 4))),
    keepAliveTimeout: keepAliveTimeoutMs,
    maxHeaderSize: MAX_HEADER_BYTES,
  };
}
