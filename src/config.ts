// The environment, parsed once at boot. Every problem is collected so that an operator fixes
// them all in one go; the variables are part of the public contract (README, "Configuration").

const REGIONS = ['emea', 'nam', 'apac'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Config {
  /** Stats API base including `/stats`; `undefined` means demo mode (embedded stand-in). */
  statsApiUrl: string | undefined;
  port: number;
  /** Interface to listen on; `undefined` listens on all of them. */
  host: string | undefined;
  upstreamTimeoutMs: number;
  /** How many upstream requests one operation may have in flight at once. */
  upstreamConcurrency: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function parseConfig(env: Env): Config {
  const problems: string[] = [];

  function integer(name: string, fallback: number, min: number, max: number): number {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  }

  function oneOf(name: string, allowed: readonly string[]): string | undefined {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    if (!allowed.includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return raw;
  }

  const region = oneOf('STATS_API_REGION', REGIONS);
  const url = env.STATS_API_URL?.trim() || undefined;
  if (url && region) {
    problems.push('set STATS_API_URL or STATS_API_REGION, not both');
  }
  const config: Config = {
    statsApiUrl: url
      ? statsApiUrl(url, problems)
      : region && `https://${region}.api.newvoicemedia.com/stats`,
    port: integer('PORT', 4000, 0, 65535),
    host: env.HOST?.trim() || undefined,
    upstreamTimeoutMs: integer('UPSTREAM_TIMEOUT_MS', 10_000, 1, 600_000),
    upstreamConcurrency: integer('UPSTREAM_CONCURRENCY', 8, 1, 256),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS) ?? 'info',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function statsApiUrl(raw: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`STATS_API_URL must be an absolute URL, got "${raw}"`);
    return raw;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`STATS_API_URL must be http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password || url.search || url.hash) {
    problems.push('STATS_API_URL must not carry credentials, a query or a fragment');
  }
  return url.href.replace(/\/+$/, '');
}
