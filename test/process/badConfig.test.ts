import { failedGatewayStart, stopGatewayProcesses } from '../support/process.js';

describe('the gateway with a bad configuration', () => {
  afterEach(stopGatewayProcesses);

  it('refuses an OTEL_EXPORTER_OTLP_ENDPOINT that is not a URL before it starts the demo stand-in', async () => {
    const { code, stdout, stderr } = await failedGatewayStart({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' },
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'Invalid configuration:\n' +
        '  - OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute URL, got "not a url"\n',
    );
    // Neither the logger nor the demo stand-in had started.
    expect(stdout).toBe('');
  });

  it('lists an OTEL_EXPORTER_OTLP_ENDPOINT the exporter would take but never reach with the other problems', async () => {
    const { code, stderr } = await failedGatewayStart({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', LOG_LEVEL: 'loud' },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('OTEL_EXPORTER_OTLP_ENDPOINT must be http or https, got "collector:"');
    expect(stderr).toContain('LOG_LEVEL must be one of');
  });
});
