import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './graphiql.css';

/** What the gateway writes into the page (a JSON data block, so no inline script is needed). */
interface Prefill {
  document?: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

const prefill = JSON.parse(
  document.getElementById('graphiql-prefill')?.textContent ?? '{}',
) as Prefill;
const endpoint = new URL('/graphql', window.location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

// Queries over HTTP, subscriptions over the gateway's own WebSocket; the headers editor's
// values go into connectionParams, where the gateway reads the token.
const fetcher = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl: socket.href });
const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value, null, 2));

// GraphiQL opens its editors on `variables` (the tab's own are kept only for its tab list).
const variables = json(prefill.variables);

createRoot(document.getElementById('graphiql') as HTMLElement).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultEditorToolsVisibility={prefill.headers ? 'headers' : false}
      defaultHeaders={json(prefill.headers)}
      defaultTabs={prefill.document ? [{ query: prefill.document, variables }] : undefined}
      variables={variables}
    />
  </StrictMode>,
);
