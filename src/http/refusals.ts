import type { ServerResponse } from 'node:http';
import { ErrorCode } from '../errors.js';

/** Refuses a request whose body was left unread: the connection cannot carry another one. */
export function sendUnread(
  res: ServerResponse,
  status: 408 | 413,
  message: string,
  limit: string,
): void {
  res.setHeader('connection', 'close');
  sendError(res, status, message, { limit });
}

/** Refused before GraphQL, but shaped as a GraphQL error: clients read every failure one way. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  extensions: Record<string, unknown> = {},
): void {
  sendJson(res, status, refusalBody(message, extensions));
}

/** The body of a refusal made before GraphQL: one error, BAD_REQUEST unless `extensions` say. */
export function refusalBody(message: string, extensions: Record<string, unknown> = {}): object {
  return { errors: [{ message, extensions: { code: ErrorCode.BAD_REQUEST, ...extensions } }] };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
