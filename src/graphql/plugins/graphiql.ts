import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.js';

/** What GraphiQL opens with: the same document, variables and headers as Sandbox. */
export interface GraphiQLPrefill {
  document: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * GraphiQL as Apollo's landing page (LANDING_PAGE=graphiql): the page built from graphiql/,
 * whose scripts and styles the gateway serves itself at /graphiql/, so nothing is fetched from
 * another origin. The prefill goes in as a JSON data block, which the page's
 * Content-Security-Policy allows where an inline script would not be.
 */
export function graphiqlLandingPage(
  page: string,
  prefill: GraphiQLPrefill,
): ApolloServerPlugin<Context> {
  // `<` escaped, so no value can end the block early.
  const data = JSON.stringify(prefill).replaceAll('<', '\\u003c');
  const html = page.replace(
    '</head>',
    `<script type="application/json" id="graphiql-prefill">${data}</script></head>`,
  );
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
