import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Context } from './context.js';

export const GRAPHQL_PATH = '/graphql';
const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  context: (req: IncomingMessage) => Context;
}

// A plain node:http integration (Apollo's executeHTTPGraphQLRequest) rather than Express: the
// gateway serves one endpoint plus probes, and every layer on the hot path costs CPU per request.
export function createHttpServer({ apollo, context }: HttpOptions): http.Server {
  return http.createServer((req, res) => {
    route(apollo, context, req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' });
      else res.destroy();
    });
  });
}

async function route(
  apollo: ApolloServer<Context>,
  context: HttpOptions['context'],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway');
  if (url.pathname === '/') {
    res.writeHead(302, { location: GRAPHQL_PATH }).end();
    return;
  }
  if (url.pathname === '/healthz') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (url.pathname !== GRAPHQL_PATH) {
    sendJson(res, 404, { error: `Not found: the GraphQL endpoint is ${GRAPHQL_PATH}` });
    return;
  }

  const body = await readBody(req);
  if (body === undefined) {
    res.setHeader('connection', 'close');
    sendJson(res, 413, { error: `Request body over ${MAX_BODY_BYTES} bytes` });
    return;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let parsed: unknown = body;
  if (body !== '' && headers.get('content-type')?.startsWith('application/json')) {
    try {
      parsed = JSON.parse(body);
    } catch {
      sendJson(res, 400, { error: 'Request body is not valid JSON' });
      return;
    }
  }

  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed },
    context: async () => context(req),
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * The body as text, or `undefined` when it is over MAX_BODY_BYTES: then reading stops at once
 * (the 413 closes the connection) instead of buffering whatever a caller chooses to send.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data').pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
