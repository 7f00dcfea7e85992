import { ConfigError, parseConfig } from './config.js';
import {
  DEMO_VIRTUAL_QUEUES,
  generateInteractions,
  referenceInteraction,
} from './demo/demoData.js';
import { startCallActivity } from './demo/liveCalls.js';
import { startStatsApi, type StatsApi } from './demo/statsApi.js';
import { startGateway } from './gateway.js';
import { createProcessLog } from './telemetry/logger.js';

const DEMO_TOKEN = 'demo-token';
// How often the demo's calls come in, progress and end, for the live feeds to show.
const DEMO_STEP_MS = 3000;

export async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const log = await createProcessLog(config.logLevel, config.logBufferBytes);
  const { logger } = log;

  // Nothing configured: serve demo data from an embedded stand-in on a loopback port.
  const sample = referenceInteraction();
  let demo: StatsApi | undefined;
  let stopCalls = () => {};
  if (config.statsApiUrl === undefined) {
    const api = await startStatsApi({
      accounts: { [DEMO_TOKEN]: [sample, ...generateInteractions(200, new Date())] },
      virtualQueues: DEMO_VIRTUAL_QUEUES,
    });
    stopCalls = startCallActivity((call) => api.put(DEMO_TOKEN, call), DEMO_STEP_MS);
    demo = api;
    logger.info({ statsApiUrl: demo.url }, 'demo mode: embedded stand-in Stats API');
  }
  const statsApiUrl = config.statsApiUrl ?? (demo as StatsApi).url;
  const gateway = await startGateway({ ...config, statsApiUrl }, logger, {
    logLinesDropped: log.droppedLines,
    sandbox: demo && {
      sandboxHeaders: { Authorization: `Bearer ${DEMO_TOKEN}` },
      // The wallboard's window starts an hour before boot (a live report reaches 24 h back).
      sandboxVariables: {
        guid: sample.guid,
        since: new Date(Date.now() - 3_600_000).toISOString(),
      },
      sandboxLive: true,
    },
    demoToken: demo && DEMO_TOKEN,
  });
  logger.info({ url: gateway.url, statsApiUrl }, 'gateway listening');
  if (demo) {
    const explorer = config.landingPage === 'graphiql' ? 'GraphiQL' : 'Sandbox';
    printBanner(gateway.url, explorer, gateway.wallboardUrl, sample.guid);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // If draining ever hangs, the process still ends, a little after the grace period.
    setTimeout(
      () => process.exit(1),
      config.shutdownDelayMs + config.shutdownGraceMs + 5000,
    ).unref();
    await gateway.stop();
    stopCalls();
    await demo?.close();
    // A stalled log reader may never take the rest: give it a moment, then go regardless.
    await log.flush(Math.min(1000, config.shutdownGraceMs));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function printBanner(
  url: string,
  explorer: string,
  wallboardUrl: string | undefined,
  guid: string,
): void {
  const body = JSON.stringify({
    query: `{ interaction(guid: "${guid}") { guid status duration channels { party { role } events { __typename type offset } } } }`,
  });
  process.stdout.write(`
  Stats gateway on DEMO DATA (no STATS_API_URL or STATS_API_REGION set)
    GraphQL + ${`${explorer}:`.padEnd(8)} ${url}
${wallboardUrl ? `    Wallboard:         ${wallboardUrl}\n` : ''}    Live feeds:        ${url.replace(/^http/, 'ws')} (subscriptions; demo calls change every few seconds)
    Demo token:        ${DEMO_TOKEN}

  Try it:
    curl -s ${url} -H 'content-type: application/json' \\
      -H 'Authorization: Bearer ${DEMO_TOKEN}' \\
      -d '${body}'

`);
}
