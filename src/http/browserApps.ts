import type { Config } from '../config.js';
import type { Logger } from '../telemetry/logger.js';
import { BUILT, loadSite, type StaticSite } from './staticSite.js';

export interface BrowserApps {
  /** GraphiQL, when it is the landing page: its page goes to Apollo, its assets are served here. */
  graphiql?: StaticSite;
  wallboard?: StaticSite;
  /** What the HTTP server serves beside the API. */
  sites: StaticSite[];
}

/**
 * The browser apps the settings ask for (WALLBOARD, LANDING_PAGE=graphiql), as `npm run build`
 * put them in `built`. GraphiQL asked for but not built stops the boot; a wallboard not built
 * is logged and left out, since demo mode turns it on by default also where only the gateway
 * was compiled.
 */
export function browserApps(
  config: Pick<Config, 'wallboard' | 'landingPage'>,
  demoToken: string | undefined,
  logger: Logger,
  built = BUILT,
): BrowserApps {
  let graphiql: StaticSite | undefined;
  if (config.landingPage === 'graphiql') {
    graphiql = loadSite(built, 'graphiql', { assetsOnly: true });
    if (!graphiql) {
      throw new Error('LANDING_PAGE=graphiql needs GraphiQL built: run `npm run build`');
    }
  }
  let wallboard: StaticSite | undefined;
  if (config.wallboard) {
    wallboard = loadSite(built, 'wallboard', {
      transformPage: (html) => (demoToken ? withDemoToken(html, demoToken) : html),
    });
    if (!wallboard) {
      logger.warn('WALLBOARD: the wallboard is not built (npm run build); /wallboard/ is off');
    }
  }
  const sites = [graphiql, wallboard].filter((site) => site !== undefined);
  return { graphiql, wallboard, sites };
}

// A meta tag rather than an inline script: the page's policy allows no inline script.
function withDemoToken(html: string, token: string): string {
  const value = token.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return html.replace('</head>', `<meta name="demo-token" content="${value}" /></head>`);
}
