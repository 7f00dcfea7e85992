// How a consumer calls the gateway with the generated client: a pattern to copy, not a library.
// `npm run codegen` turns each examples/*.graphql operation into a TypedDocumentNode in
// ./client/graphql.ts; `request` sends one with plain fetch and returns its typed `data`.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { MobileSummaryDocument, type MobileSummaryQuery } from './client/graphql.js';

/** The gateway's answer when it has errors: each error's `extensions.code` says what to do. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly errors: { message: string; extensions?: { code?: string } }[],
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
}

export async function request<Result, Variables>(
  url: string,
  token: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    // A JSON POST passes the gateway's CSRF prevention; the token is the caller's own, forwarded
    // to the Stats API as it is.
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result | null; errors?: GatewayError['errors'] };
  // Strict on purpose: a partial answer (data with errors) is treated as a failure here.
  if (body.errors?.length || !body.data) throw new GatewayError(response.status, body.errors ?? []);
  return body.data;
}

/** For example, a phone's summary card: variables and result are checked against the schema. */
export async function mobileSummary(
  url: string,
  token: string,
  guid: string,
): Promise<MobileSummaryQuery['interaction']> {
  const { interaction } = await request(url, token, MobileSummaryDocument, { guid });
  return interaction; // null when the Stats API does not know this guid
}
