// How a consumer calls the gateway with the generated client: a pattern to copy, not a library.
// `npm run codegen` turns each examples/*.graphql operation into a TypedDocumentNode in
// ./client/graphql.ts; `request` sends one with plain fetch and returns its typed `data`.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type ClientOptions } from 'graphql-ws';
import {
  LiveWallboardDocument,
  MobileSummaryDocument,
  QueueWallboardDocument,
  type LiveWallboardSubscription,
  type MobileSummaryQuery,
  type QueueWallboardSubscription,
} from './client/graphql.js';

/** The gateway's answer when it has errors: each error's `extensions.code` says what to do. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly { message: string; extensions?: { code?: unknown } }[],
  ) {
    super(errors.map((e) => `${String(e.extensions?.code ?? 'ERROR')}: ${e.message}`).join('; '));
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

/**
 * A live feed over WebSocket (graphql-ws): `onData` gets each result's typed data, at once and
 * again whenever it changes; `onEnd` hears why the feed ended (a GatewayError coded
 * UNAUTHENTICATED means a new token is needed). Call the returned function to stop. Browsers
 * have WebSocket built in; Node 20 needs one, such as the `ws` package's, as `webSocketImpl`.
 */
export function watch<Result, Variables>(
  wsUrl: string,
  token: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  onData: (data: Result) => void,
  onEnd: (error?: Error) => void,
  webSocketImpl?: ClientOptions['webSocketImpl'],
): () => void {
  const client = createClient({
    url: wsUrl, // the GraphQL URL with ws:// or wss://
    connectionParams: { Authorization: `Bearer ${token}` },
    webSocketImpl,
  });
  const stop = client.subscribe<Result>(
    { query: print(document), variables: variables as Record<string, unknown> },
    {
      next: ({ data, errors }) => {
        if (errors?.length || !data) onEnd(new GatewayError(200, errors ?? []));
        else onData(data);
      },
      error: (error) =>
        onEnd(Array.isArray(error) ? new GatewayError(400, error) : new Error(String(error))),
      complete: () => onEnd(),
    },
  );
  return () => {
    stop();
    void client.dispose();
  };
}

/** A wallboard's calls in progress: `onPage` gets them at once and whenever they change. */
export function watchWallboard(
  wsUrl: string,
  token: string,
  onPage: (page: LiveWallboardSubscription['ongoingInteractions']) => void,
  onEnd: (error?: Error) => void,
  webSocketImpl?: ClientOptions['webSocketImpl'],
): () => void {
  const onData = (data: LiveWallboardSubscription) => onPage(data.ongoingInteractions);
  return watch(wsUrl, token, LiveWallboardDocument, {}, onData, onEnd, webSocketImpl);
}

/**
 * A queue wallboard's KPIs since `since` (at most 24 hours back): `onReport` gets them at once
 * and whenever a figure changes.
 */
export function watchQueues(
  wsUrl: string,
  token: string,
  since: Date,
  onReport: (report: QueueWallboardSubscription['queueStatsUpdates']) => void,
  onEnd: (error?: Error) => void,
  webSocketImpl?: ClientOptions['webSocketImpl'],
): () => void {
  const variables = { since: since.toISOString() };
  const onData = (data: QueueWallboardSubscription) => onReport(data.queueStatsUpdates);
  return watch(wsUrl, token, QueueWallboardDocument, variables, onData, onEnd, webSocketImpl);
}
