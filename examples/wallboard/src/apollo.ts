import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';

/** What the socket is doing, for the status shown in the header. */
export type SocketState = 'connecting' | 'live' | 'reconnecting';

export interface GatewayConnection {
  client: ApolloClient;
  /** Closes the socket for good (sign-out). */
  dispose(): void;
}

// At most half a minute between attempts, with jitter so that a gateway restart is not met by
// every wallboard at the same instant.
const backoff = (retries: number) =>
  new Promise<void>((resolve) =>
    setTimeout(resolve, Math.min(30_000, 1000 * 2 ** retries) * (0.5 + Math.random() / 2)),
  );

/**
 * One Apollo Client for one access token, as in docs/live.md: subscriptions over the gateway's
 * WebSocket, everything else over HTTP, both on this page's own origin. The token travels in
 * `connectionParams` and the Authorization header, never in a URL.
 */
export function connect(token: string, onState: (state: SocketState) => void): GatewayConnection {
  const endpoint = new URL('/graphql', window.location.href);
  const socketUrl = new URL(endpoint);
  socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  let wasLive = false;
  const socket = createClient({
    url: socketUrl.href,
    connectionParams: { Authorization: `Bearer ${token}` },
    // A restart or a dropped network is retried for as long as the page is open. A refused
    // token does not close the socket: its subscriptions end with UNAUTHENTICATED (Board.tsx).
    retryAttempts: Infinity,
    retryWait: backoff,
    on: {
      connecting: () => onState(wasLive ? 'reconnecting' : 'connecting'),
      connected: () => {
        wasLive = true;
        onState('live');
      },
      closed: (event) => {
        if ((event as CloseEvent).code !== 1000) onState('reconnecting');
      },
    },
  });
  const http = new HttpLink({ uri: endpoint.href, headers: { authorization: `Bearer ${token}` } });
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.split(
      ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
      new GraphQLWsLink(socket),
      http,
    ),
  });
  return {
    client,
    dispose() {
      client.stop();
      void socket.dispose();
    },
  };
}
