import http from 'node:http';
import { ErrorCode } from '../../src/errors.js';
import { headerOf, type HostileRequest } from './hostile.js';
import { LIMITS } from './hostileDocuments.js';

// Sends a hostile request (hostile.ts) over a real socket and lists what is wrong with the
// answer, by the rules every answer must keep whatever the caller sent.

export interface Answer {
  /** 0 when the connection closed without an answer. */
  status: number;
  /** Name and value pairs, as received. */
  headers: [string, string][];
  body: Buffer;
}

/**
 * The request as sent, with `token` for `{token}`. In a body or query string, where a caller may
 * paste it by mistake, only when the Authorization header holds it as one credential: that is
 * what the gateway knows to keep out of what it echoes (graphql/plugins/redaction.ts). Beside any
 * other header it is just a string to the gateway, so another string stands in.
 */
export function withToken(request: HostileRequest, token: string): HostileRequest {
  const credential = /^(\S+\s+)?\{token\}$/.test(headerOf(request, 'authorization') ?? '');
  const pasted = credential ? token : 'not-a-credential';
  return {
    ...request,
    target: request.target.replaceAll('{token}', pasted).replaceAll('%7Btoken%7D', pasted),
    headers: request.headers.map(([name, value]) => [name, value.replaceAll('{token}', token)]),
    body: Buffer.from(request.body.toString('latin1').replaceAll('{token}', pasted), 'latin1'),
  };
}

/** Sends `request` (see withToken) framed by a Content-Length. */
export function send(
  origin: string,
  request: HostileRequest,
  agent: http.Agent | false,
): Promise<Answer> {
  const { hostname, port } = new URL(origin);
  const headers = [`host`, `${hostname}:${port}`];
  for (const [name, value] of request.headers) headers.push(name, value);
  headers.push('content-length', String(request.body.length));
  // After a request that asks to upgrade, Node's server reads no further requests on that
  // connection (it waits out the keep-alive timeout): such a request gets a connection of its own.
  const upgrading = request.headers.some(([name]) => name === 'upgrade' || name === 'connection');
  const options = { hostname, port, method: request.method, path: request.target, headers };
  return new Promise((resolve, reject) => {
    const req = http.request(
      { ...options, agent: upgrading ? false : agent, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            pairs.push([res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string]);
          }
          resolve({ status: res.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed as it was reused: try once on a new one.
      if (req.reusedSocket && error.code === 'ECONNRESET') {
        send(origin, request, false).then(resolve, reject);
      } else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        // The server may refuse oversized headers by closing the connection before reading them.
        resolve({ status: 0, headers: [], body: Buffer.alloc(0) });
      } else reject(error);
    });
    req.end(request.body);
  });
}

/** The path the gateway routes on, as httpServer.ts reads a request-target. */
export function pathOf(target: string): string | undefined {
  try {
    return new URL(target.startsWith('/') ? `http://gateway${target}` : target).pathname;
  } catch {
    return undefined;
  }
}

const KNOWN = new Set<unknown>(Object.values(ErrorCode));
const JSON_TYPES = /^application\/(graphql-response\+)?json\b/;

/** What is wrong with `answer` to `request`; empty when nothing is. */
export function problemsWith(request: HostileRequest, answer: Answer, token: string): string[] {
  const problems: string[] = [];
  const { status } = answer;
  const header = (name: string) => answer.headers.find(([h]) => h.toLowerCase() === name)?.[1];
  const headerBytes = request.headers.reduce(
    (sum, [name, value]) => sum + name.length + value.length,
    request.target.length,
  );
  const path = pathOf(request.target);
  if (answer.body.toString('latin1').includes(token)) problems.push('the token is in the body');
  if (answer.headers.some(([, value]) => value.includes(token)))
    problems.push('the token is in a header');
  if (status >= 500) problems.push(`status ${status}`);
  if (!http.METHODS.includes(request.method)) {
    // Node's parser refuses a method it does not know before the gateway sees the request, and
    // closes the connection: a client still sending its body may see only the close.
    if (status !== 400 && status !== 0)
      problems.push(`method ${request.method} answered ${status}`);
    return problems;
  }
  // Oversized headers may be answered 431 or by closing the connection; an oversized body may
  // see the connection close (after its 413) before the client has finished sending it.
  const hugeHeaders = headerBytes > 4096;
  const hugeBody = request.body.length > LIMITS.bodyBytes;
  if ((status === 431 && hugeHeaders) || (status === 0 && (hugeHeaders || hugeBody))) {
    return problems;
  }
  if (status === 431 || status === 0) problems.push(`${status || 'no answer'}`);
  if (request.method === 'OPTIONS') {
    if (status !== 204) problems.push(`OPTIONS answered ${status}, not 204`);
    return problems;
  }
  if (path !== '/graphql') {
    if (![200, 302, 400, 404].includes(status)) {
      problems.push(`${request.target} answered ${status}`);
    }
    return status === 400 ? [...problems, ...bodyProblems(answer.body, status)] : problems;
  }
  if (hugeBody !== (status === 413)) {
    problems.push(`${request.body.length} bytes answered ${status}`);
  }
  if (![200, 400, 405, 406, 413, 415].includes(status)) problems.push(`status ${status}`);
  if (request.method === 'HEAD') {
    if (answer.body.length > 0) problems.push('HEAD answered with a body');
    return problems;
  }
  const type = header('content-type') ?? '';
  const accept = request.headers
    .filter(([h]) => h === 'accept')
    .map(([, v]) => v)
    .join(',');
  if (
    type.startsWith('text/html') &&
    status === 200 &&
    request.method === 'GET' &&
    accept.includes('text/html')
  ) {
    return problems; // the Sandbox landing page
  }
  if (!JSON_TYPES.test(type)) return [...problems, `content-type "${type}"`];
  return [...problems, ...bodyProblems(answer.body, status)];
}

function bodyProblems(body: Buffer, status: number): string[] {
  let parsed: { data?: unknown; errors?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
  } catch {
    return ['the body is not JSON'];
  }
  if (typeof parsed !== 'object' || parsed === null) return ['the body is not a JSON object'];
  if (status === 200 && !('data' in parsed) && !('errors' in parsed))
    return ['200 without data or errors'];
  if (status === 200 && !('errors' in parsed)) return [];
  if (!Array.isArray(parsed.errors) || parsed.errors.length === 0)
    return ['an error answer without errors'];
  return (parsed.errors as { message?: unknown; extensions?: { code?: unknown } }[]).flatMap(
    (error) => {
      const code = error?.extensions?.code;
      if (typeof error?.message !== 'string') return ['an error without a message'];
      if (!KNOWN.has(code)) return [`an error without a known code: ${JSON.stringify(error)}`];
      if (code === ErrorCode.INTERNAL_SERVER_ERROR)
        return [`INTERNAL_SERVER_ERROR: ${error.message}`];
      return [];
    },
  );
}
