import { ConfigError, parseConfig } from '../../src/config.js';

/** The problems parseConfig lists for `env`, failing if it throws anything but a ConfigError. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe('parseConfig', () => {
  it('defaults to demo mode on port 4000 when nothing is set', () => {
    expect(parseConfig({})).toEqual({
      statsApiUrl: undefined,
      port: 4000,
      host: undefined,
      operationTimeoutMs: 25_000,
      keepAliveTimeoutMs: 65_000,
      upstream: {
        timeoutMs: 10_000,
        retries: 2,
        concurrency: 64,
        concurrencyPerToken: 64,
        concurrencyPerTokenMin: 2,
        queue: 2000,
        queuePerToken: 250,
        maxResponseBytes: 32 * 1024 * 1024,
        cacheSeconds: 0,
        cacheBytes: 64 * 1024 * 1024,
        deduplicate: true,
      },
      limits: {
        depth: 12,
        aliases: 30,
        guids: 100,
        tokens: 5000,
        bodyBytes: 256 * 1024,
        resultItems: 20_000,
        queueStatsVisits: 100_000,
      },
      redisTimeoutMs: 250,
      live: {
        pollMs: 5000,
        maxSubscriptionsPerSocket: 20,
        maxSubscriptionsPerToken: 200,
        connectionInitTimeoutMs: 3000,
        keepAliveMs: 12_000,
        maxBufferedBytes: 4 * 1024 * 1024,
      },
      compression: { enabled: true, minBytes: 1024 },
      corsOrigins: [],
      introspection: true,
      landingPage: 'sandbox',
      wallboard: true,
      federation: false,
      shutdownDelayMs: 0,
      shutdownGraceMs: 10_000,
      logLevel: 'info',
      logBufferBytes: 1024 * 1024,
    });
  });

  it('turns a region into its documented base URL', () => {
    expect(parseConfig({ STATS_API_REGION: 'emea' }).statsApiUrl).toBe(
      'https://emea.api.newvoicemedia.com/stats',
    );
  });

  it('takes a base URL without its trailing slash', () => {
    expect(parseConfig({ STATS_API_URL: 'https://nam.api.cc.vonage.com/stats/' }).statsApiUrl).toBe(
      'https://nam.api.cc.vonage.com/stats',
    );
  });

  it('lists every problem at once', () => {
    const env = {
      STATS_API_URL: 'ftp://user:pw@example.com/stats?x=1',
      STATS_API_REGION: 'mars',
      PORT: '70000',
      UPSTREAM_TIMEOUT_MS: 'soon',
      UPSTREAM_CONCURRENCY: '0',
      UPSTREAM_CACHE_SECONDS: '-1',
      UPSTREAM_DEDUPLICATE: 'off',
      LOG_LEVEL: 'loud',
      LOG_BUFFER_BYTES: '100',
      INTROSPECTION: 'yes',
      FEDERATION: 'on',
      REDIS_URL: 'http://cache.example.com',
      REDIS_TIMEOUT_MS: '5',
      KEEP_ALIVE_TIMEOUT_MS: '0',
      CORS_ORIGINS: 'https://app.example.com, *, https://x.example.com/path',
      QUEUE_STATS_MAX_VISITS: '0',
    };
    expect(problemsOf(env)).toEqual([
      'STATS_API_REGION must be one of emea, nam, apac, got "mars"',
      'set STATS_API_URL or STATS_API_REGION, not both',
      'STATS_API_URL must be http or https, got "ftp:"',
      'STATS_API_URL must not carry credentials, a query or a fragment',
      'PORT must be a whole number from 0 to 65535, got "70000"',
      'KEEP_ALIVE_TIMEOUT_MS must be a whole number from 1000 to 3600000, got "0"',
      'UPSTREAM_TIMEOUT_MS must be a whole number from 1 to 600000, got "soon"',
      'UPSTREAM_CONCURRENCY must be a whole number from 1 to 4096, got "0"',
      'UPSTREAM_CACHE_SECONDS must be a whole number from 0 to 3600, got "-1"',
      'UPSTREAM_DEDUPLICATE must be one of true, false, got "off"',
      'QUEUE_STATS_MAX_VISITS must be a whole number from 1 to 1000000, got "0"',
      'REDIS_URL must be a redis:// or rediss:// URL',
      'REDIS_TIMEOUT_MS must be a whole number from 10 to 10000, got "5"',
      'CORS_ORIGINS entries must be origins such as https://app.example.com, got "*"',
      'CORS_ORIGINS entries must be origins such as https://app.example.com, got "https://x.example.com/path"',
      'INTROSPECTION must be one of true, false, got "yes"',
      'FEDERATION must be one of true, false, got "on"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'LOG_BUFFER_BYTES must be a whole number from 16384 to 268435456, got "100"',
    ]);
  });

  it('reads switches, origins and limits as an operator writes them', () => {
    const config = parseConfig({
      INTROSPECTION: 'false',
      LANDING_PAGE: 'false',
      FEDERATION: 'true',
      CORS_ORIGINS: 'https://app.example.com,http://localhost:5173',
      MAX_GUIDS: '10',
      QUEUE_STATS_MAX_VISITS: '250000',
      UPSTREAM_CONCURRENCY_PER_TOKEN: '4',
      KEEP_ALIVE_TIMEOUT_MS: '620000',
      REDIS_TIMEOUT_MS: '100',
    });
    expect(config).toMatchObject({
      introspection: false,
      landingPage: 'off',
      federation: true,
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      limits: { guids: 10, queueStatsVisits: 250_000 },
      upstream: { concurrencyPerToken: 4 },
      keepAliveTimeoutMs: 620_000,
      redisTimeoutMs: 100,
    });
  });

  it('reads the compression settings, and refuses a flag that is not true or false and a negative threshold', () => {
    expect(parseConfig({ COMPRESSION: 'false', COMPRESSION_MIN_BYTES: '0' }).compression).toEqual({
      enabled: false,
      minBytes: 0,
    });
    expect(problemsOf({ COMPRESSION: 'off', COMPRESSION_MIN_BYTES: '-1' })).toEqual([
      'COMPRESSION must be one of true, false, got "off"',
      'COMPRESSION_MIN_BYTES must be a whole number from 0 to 67108864, got "-1"',
    ]);
  });

  it('reads LANDING_PAGE as Sandbox (true, the default), GraphiQL or off, and refuses anything else', () => {
    expect(parseConfig({ LANDING_PAGE: 'true' }).landingPage).toBe('sandbox');
    expect(parseConfig({ LANDING_PAGE: 'sandbox' }).landingPage).toBe('sandbox');
    expect(parseConfig({ LANDING_PAGE: 'graphiql' }).landingPage).toBe('graphiql');
    expect(parseConfig({ LANDING_PAGE: 'false' }).landingPage).toBe('off');
    expect(problemsOf({ LANDING_PAGE: 'GraphiQL' })).toEqual([
      'LANDING_PAGE must be one of true, false, sandbox, graphiql, got "GraphiQL"',
    ]);
  });

  it('serves the wallboard in demo mode unless WALLBOARD=false, and elsewhere only with WALLBOARD=true', () => {
    expect(parseConfig({}).wallboard).toBe(true);
    expect(parseConfig({ WALLBOARD: 'false' }).wallboard).toBe(false);
    expect(parseConfig({ STATS_API_REGION: 'emea' }).wallboard).toBe(false);
    expect(parseConfig({ STATS_API_URL: 'https://stats.example.com/stats' }).wallboard).toBe(false);
    expect(parseConfig({ STATS_API_REGION: 'emea', WALLBOARD: 'true' }).wallboard).toBe(true);
    expect(problemsOf({ WALLBOARD: 'yes' })).toEqual([
      'WALLBOARD must be one of true, false, got "yes"',
    ]);
  });

  it('reads the live settings, and refuses a poll interval under a second or a keep-alive under a second but not off', () => {
    expect(
      parseConfig({
        LIVE_POLL_MS: '1000',
        LIVE_MAX_SUBSCRIPTIONS_PER_SOCKET: '5',
        LIVE_MAX_SUBSCRIPTIONS_PER_TOKEN: '50',
        LIVE_CONNECTION_INIT_TIMEOUT_MS: '500',
        LIVE_KEEPALIVE_MS: '0',
        LIVE_MAX_BUFFERED_BYTES: '65536',
      }).live,
    ).toEqual({
      pollMs: 1000,
      maxSubscriptionsPerSocket: 5,
      maxSubscriptionsPerToken: 50,
      connectionInitTimeoutMs: 500,
      keepAliveMs: 0,
      maxBufferedBytes: 65536,
    });
    const env = {
      LIVE_POLL_MS: '999',
      LIVE_KEEPALIVE_MS: '500',
      LIVE_MAX_SUBSCRIPTIONS_PER_SOCKET: '0',
      LIVE_MAX_BUFFERED_BYTES: 'lots',
    };
    expect(problemsOf(env)).toEqual([
      'LIVE_POLL_MS must be a whole number from 1000 to 600000, got "999"',
      'LIVE_MAX_SUBSCRIPTIONS_PER_SOCKET must be a whole number from 1 to 10000, got "0"',
      'LIVE_KEEPALIVE_MS must be 0 (off) or at least 1000, got "500"',
      'LIVE_MAX_BUFFERED_BYTES must be a whole number from 1024 to 1073741824, got "lots"',
    ]);
  });

  it("bounds a token's window between UPSTREAM_CONCURRENCY_PER_TOKEN_MIN and UPSTREAM_CONCURRENCY_PER_TOKEN", () => {
    expect(
      parseConfig({ UPSTREAM_CONCURRENCY_PER_TOKEN: '16', UPSTREAM_CONCURRENCY_PER_TOKEN_MIN: '4' })
        .upstream,
    ).toMatchObject({ concurrencyPerToken: 16, concurrencyPerTokenMin: 4 });
    // The default floor gives way to a lower ceiling; a floor set above it is a mistake.
    expect(parseConfig({ UPSTREAM_CONCURRENCY_PER_TOKEN: '1' }).upstream).toMatchObject({
      concurrencyPerToken: 1,
      concurrencyPerTokenMin: 1,
    });
    expect(() =>
      parseConfig({ UPSTREAM_CONCURRENCY_PER_TOKEN: '8', UPSTREAM_CONCURRENCY_PER_TOKEN_MIN: '9' }),
    ).toThrow(
      'UPSTREAM_CONCURRENCY_PER_TOKEN_MIN (9) must not be above UPSTREAM_CONCURRENCY_PER_TOKEN (8)',
    );
    expect(() => parseConfig({ UPSTREAM_CONCURRENCY_PER_TOKEN_MIN: '0' })).toThrow(
      'UPSTREAM_CONCURRENCY_PER_TOKEN_MIN must be a whole number from 1 to 4096, got "0"',
    );
  });

  it('refuses a relative URL', () => {
    expect(() => parseConfig({ STATS_API_URL: '/stats' })).toThrow(
      'STATS_API_URL must be an absolute URL',
    );
  });

  it('checks the OTLP collector URL with every other problem, and takes a good one', () => {
    expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318/', PORT: 'x' })).toEqual([
      'PORT must be a whole number from 0 to 65535, got "x"',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be http or https, got "collector:"',
    ]);
    expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute URL, got "not a url"',
    ]);
    expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example.com?key=1' })).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must not carry credentials, a query or a fragment',
    ]);
    expect(
      parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ' http://collector:4318/ ' }).otelEndpoint,
    ).toBe('http://collector:4318');
    expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }).otelEndpoint).toBeUndefined();
  });
});
