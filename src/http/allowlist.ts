import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ErrorCode } from '../errors.js';

/** Registered operations: query text by the SHA-256 (hex) of its text. */
export type OperationManifest = ReadonlyMap<string, string>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Reads an allowlist in Apollo's persisted query manifest format, the one
 * `@apollo/generate-persisted-query-manifest` writes: `{ "format":
 * "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "name", "type",
 * "body" }] }`, where `id` is the SHA-256 of `body`. Throws, naming the problem, on anything else,
 * so that a broken manifest stops the gateway at boot rather than refusing every operation.
 */
export function loadManifest(path: string): OperationManifest {
  const problem = (text: string) => new Error(`PERSISTED_OPERATIONS_MANIFEST ${path}: ${text}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw problem(`cannot be read as JSON (${(error as Error).message})`);
  }
  const manifest = parsed as { format?: unknown; version?: unknown; operations?: unknown };
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) {
    throw problem('must have "format": "apollo-persisted-query-manifest" and "version": 1');
  }
  if (!Array.isArray(manifest.operations)) throw problem('must have an "operations" array');
  const operations = new Map<string, string>();
  manifest.operations.forEach((operation: { id?: unknown; body?: unknown }, i) => {
    if (typeof operation?.body !== 'string' || operation.id !== sha256(operation.body)) {
      throw problem(`operations[${i}] must have a "body" and an "id" that is the SHA-256 of it`);
    }
    operations.set(operation.id, operation.body);
  });
  return operations;
}

/**
 * Allowlist mode: only the manifest's operations run. A client sends an operation's id as an
 * APQ hash (`extensions.persistedQuery.sha256Hash`, over GET or POST) and the gateway supplies
 * the text; a full query is accepted only if it is one of them, byte for byte. Returns the text
 * to run, or `undefined` to refuse. httpServer.ts applies it before Apollo sees the request:
 * Apollo answers an error thrown from its own hooks as a 500.
 */
export function admit(
  manifest: OperationManifest,
  request: { query?: unknown; extensions?: unknown },
): string | undefined {
  if (typeof request.query === 'string') {
    return manifest.has(sha256(request.query)) ? request.query : undefined;
  }
  const persisted = (request.extensions as { persistedQuery?: { sha256Hash?: unknown } })
    ?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? manifest.get(persisted.sha256Hash) : undefined;
}

/** The answer to a refused operation, shaped as a GraphQL error. */
export const NOT_ALLOWED = {
  errors: [
    {
      message: 'Only registered operations run on this gateway; send a registered operation id.',
      extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_ALLOWED },
    },
  ],
};
