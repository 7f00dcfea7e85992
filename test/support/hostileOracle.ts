import { createHash } from 'node:crypto';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { getOperationAST, getVariableValues, parse, validate } from 'graphql';
import { loadTypeDefs } from '../../src/graphql/schema.js';
import { resolvers } from '../../src/resolvers/resolverMap.js';
import { headerOf, type HostileRequest } from './hostile.js';
import { pathOf } from './hostileAnswers.js';
import { LIMITS } from './hostileDocuments.js';

// Which hostile requests (hostile.ts) the gateway must refuse before any Stats API call, worked
// out apart from the gateway: from the request's own shape and graphql-js's reference parse,
// validation and variable coercion against the same schema.

const schema = makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });

/**
 * True when the request certainly cannot run: its generator says so, or it is not a GET or
 * POST to /graphql, or graphql-js's own parse, validation or variable coercion refuses it (the
 * gateway's rules are a superset of these). False means "may run", never "must run".
 */
export function refusedBeforeUpstream(request: HostileRequest): boolean {
  if (request.refused || pathOf(request.target) !== '/graphql') return true;
  if (request.body.length > LIMITS.bodyBytes) return true;
  const contentType = headerOf(request, 'content-type');
  if (request.method === 'GET') {
    const preflight = ['apollo-require-preflight', 'x-apollo-operation-name'].some(
      (name) => (headerOf(request, name) ?? '') !== '',
    );
    if (contentType === undefined && !preflight) return true;
    const params = new URL(`http://gateway${request.target}`).searchParams;
    if (params.getAll('query').length > 1) return true;
    try {
      const json = (name: string) => {
        const value = params.get(name);
        return value === null ? undefined : (JSON.parse(value) as unknown);
      };
      return operationRefused({
        query: params.get('query') ?? undefined,
        variables: json('variables'),
        extensions: json('extensions'),
        operationName: params.get('operationName') ?? undefined,
      });
    } catch {
      return true;
    }
  }
  if (request.method !== 'POST') return true;
  if (contentType?.split(';')[0]?.trim().toLowerCase() !== 'application/json') return true;
  try {
    return operationRefused(JSON.parse(request.body.toString('utf8')));
  } catch {
    return true;
  }
}

function operationRefused(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return true;
  const { query, variables, extensions, operationName } = body as Record<string, unknown>;
  if (!isObjectOrNone(variables) || !isObjectOrNone(extensions)) return true;
  if (operationName != null && typeof operationName !== 'string') return true;
  const persisted = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } })
    ?.persistedQuery;
  if (typeof query !== 'string' || query === '') return true;
  if (persisted) {
    const hash = createHash('sha256').update(query).digest('hex');
    if (persisted.version !== 1 || persisted.sha256Hash !== hash) return true;
  }
  try {
    const document = parse(query, { maxTokens: 5000 });
    if (validate(schema, document).length > 0) return true;
    const operation = getOperationAST(document, operationName as string | undefined);
    if (!operation || operation.operation !== 'query') return true;
    const given = (variables ?? {}) as Record<string, unknown>;
    return (
      getVariableValues(schema, operation.variableDefinitions ?? [], given).errors !== undefined
    );
  } catch {
    return true;
  }
}

const isObjectOrNone = (value: unknown) =>
  value == null || (typeof value === 'object' && !Array.isArray(value));
