import type { Config } from '../config.js';
import type { Logger } from '../telemetry/logger.js';
import { loadSite, type StaticSite } from './staticSite.js';

export interface BrowserApps {
  /** GraphiQL, when it is the landing page: its page goes to Apollo, its assets are served here. */
  graphiql?: StaticSite;
  /** What the HTTP server serves beside the API. */
  sites: StaticSite[];
}

/**
 * The browser apps the settings ask for (WALLBOARD, LANDING_PAGE=graphiql), as built by
 * `npm run build`. GraphiQL asked for but not built stops the boot (Apollo's landing page
 * plugin says so); a wallboard not built is logged and left out, since demo mode turns it on
 * by default also where only the gateway was compiled.
 */
export function browserApps(
  config: Pick<Config, 'wallboard' | 'landingPage'>,
  demoToken: string | undefined,
  logger: Logger,
): BrowserApps {
  const sites: StaticSite[] = [];
  const graphiql =
    config.landingPage === 'graphiql' ? loadSite('graphiql', { assetsOnly: true }) : undefined;
  if (graphiql) sites.push(graphiql);
  if (config.wallboard) {
    const wallboard = loadSite('wallboard', {
      transformPage: (html) => (demoToken ? withDemoToken(html, demoToken) : html),
    });
    if (wallboard) sites.push(wallboard);
    else logger.warn('WALLBOARD: the wallboard is not built (npm run build); /wallboard/ is off');
  }
  return { graphiql, sites };
}

// A meta tag rather than an inline script: the page's policy allows no inline script.
function withDemoToken(html: string, token: string): string {
  const value = token.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return html.replace('</head>', `<meta name="demo-token" content="${value}" /></head>`);
}
