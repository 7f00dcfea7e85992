import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { browserApps } from '../../src/http/browserApps.js';
import { createLogger } from '../../src/telemetry/logger.js';

// What the gateway does when the browser apps it is asked to serve were never built (a
// `tsc` alone, or an image built without them).

describe('browser apps that are not built', () => {
  const empty = mkdtempSync(join(tmpdir(), 'unbuilt-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );

  it('stop the boot when LANDING_PAGE=graphiql, saying how to build GraphiQL', () => {
    expect(() =>
      browserApps({ landingPage: 'graphiql', wallboard: false }, undefined, logger, empty),
    ).toThrow('LANDING_PAGE=graphiql needs GraphiQL built: run `npm run build`');
  });

  it('leave the wallboard out with a warning, and serve nothing', () => {
    const apps = browserApps(
      { landingPage: 'sandbox', wallboard: true },
      'demo-token',
      logger,
      empty,
    );
    expect(apps.sites).toEqual([]);
    expect(apps.wallboard).toBeUndefined();
    expect(lines.join('')).toContain('WALLBOARD: the wallboard is not built (npm run build)');
  });
});
