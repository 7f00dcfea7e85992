import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
} from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  InteractionFeedDocument,
  LiveWallboardDocument,
  OngoingDocument,
  type InteractionFeedSubscription,
  type LiveWallboardSubscription,
} from '../../examples/client/graphql.js';
import { random } from '../../src/demo/demoData.js';
import { answeredCall, endedCall, incomingCall } from '../../src/demo/liveCalls.js';
import { TOKEN, type Harness } from '../support/harness.js';
import { liveHarness, wsUrl } from '../support/live.js';
import { sleep, waitFor } from '../support/wait.js';

// Apollo Client 4 as a dashboard sets it up (docs/live.md): GraphQLWsLink for subscriptions
// beside HttpLink for the rest, chosen with ApolloLink.split, with the typed documents from
// examples/. Real sockets end to end.

describe('Apollo Client 4 with GraphQLWsLink', () => {
  let harness: Harness;
  let client: ApolloClient;
  let token = TOKEN;
  const next = random(21);

  beforeAll(async () => {
    harness = await liveHarness({ [TOKEN]: [] });
    const ws = createClient({
      url: wsUrl(harness.gateway.url),
      webSocketImpl: WebSocket,
      // Read on each connection, so that a reconnection sends the current token.
      connectionParams: () => ({ Authorization: `Bearer ${token}` }),
      retryAttempts: 0,
    });
    client = new ApolloClient({
      cache: new InMemoryCache(),
      link: ApolloLink.split(
        ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
        new GraphQLWsLink(ws),
        ApolloLink.from([
          new SetContextLink(({ headers }) => ({
            headers: { ...headers, authorization: `Bearer ${TOKEN}` },
          })),
          new HttpLink({ uri: harness.gateway.url }),
        ]),
      ),
    });
  });
  afterAll(async () => {
    client.stop();
    await harness.stop();
  });

  it('gets the wallboard over WebSocket and queries over HTTP, with the same token', async () => {
    const call = incomingCall(next, Date.now());
    harness.api.put(TOKEN, call);
    const pages: LiveWallboardSubscription[] = [];
    const subscription = client
      .subscribe({ query: LiveWallboardDocument, variables: { limit: 10 } })
      .subscribe({ next: ({ data }) => data && pages.push(data) });
    try {
      await waitFor(() => pages.length === 1);
      expect(pages[0]?.ongoingInteractions.items.map((i) => i.guid)).toEqual([call.guid]);
      harness.api.put(TOKEN, answeredCall(call, next, Date.now()));
      await waitFor(() => pages.length === 2);
      const roles = pages[1]?.ongoingInteractions.items[0]?.channels.map((c) => c.party?.role);
      expect(roles).toEqual(['External', 'Agent']);

      const httpBefore = harness.logLines().filter((l) => l.msg === 'operation').length;
      const { data } = await client.query({ query: OngoingDocument, fetchPolicy: 'network-only' });
      expect(data?.ongoingInteractions?.items.map((i) => i.guid)).toEqual([call.guid]);
      // The query went over HTTP: Apollo Server logged it as an operation.
      expect(harness.logLines().filter((l) => l.msg === 'operation').length).toBe(httpBefore + 1);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('hears UNAUTHENTICATED and completion when the token is revoked, and reconnects with a new one', async () => {
    const updates: InteractionFeedSubscription[] = [];
    let error: unknown;
    let completed = false;
    const subscription = client.subscribe({ query: InteractionFeedDocument }).subscribe({
      next: (result) => {
        if (result.data) updates.push(result.data);
        if (result.error) error = result.error;
      },
      complete: () => (completed = true),
    });
    await sleep(600);
    const call = incomingCall(next, Date.now());
    harness.api.put(TOKEN, call);
    await waitFor(() => updates.length === 1);
    harness.api.revoke(TOKEN);
    await waitFor(() => completed);
    expect(error).toBeInstanceOf(CombinedGraphQLErrors);
    expect((error as CombinedGraphQLErrors).errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    subscription.unsubscribe();

    // A new token: the client's socket closed once idle, so the next subscription reconnects.
    token = 'token-renewed';
    harness.api.put(token, endedCall(call, Date.now()));
    const again: InteractionFeedSubscription[] = [];
    const renewed = client
      .subscribe({ query: InteractionFeedDocument })
      .subscribe({ next: ({ data }) => data && again.push(data) });
    try {
      harness.api.put(token, answeredCall(incomingCall(next, Date.now()), next, Date.now()));
      await waitFor(() => again.length >= 1);
      const polledWith = harness.api.requests.at(-1)?.headers.authorization;
      expect(polledWith).toBe('Bearer token-renewed');
    } finally {
      renewed.unsubscribe();
    }
  });
});
