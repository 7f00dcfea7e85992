import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { waitFor } from './wait.js';

// A real Chromium (Debian's `chromium` package; playwright-core downloads no browser of its
// own), driven as a person would use the page: by role, label and data-testid.

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** A page, and what it did that a test may want to refuse. */
export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /** Every request's URL, to any origin. */
  requests: string[];
  /** Requests to an origin other than the one the page was opened on. */
  foreignRequests(): string[];
  /** WebSocket URLs the page opened. */
  sockets: string[];
}

export type Open = (url: string) => Promise<WatchedPage>;

/**
 * One browser for the suite; each test gets a fresh context (no storage shared between tests)
 * and a screenshot of each of its pages under test-results/ when it fails.
 */
export function browserTests(): (
  name: string,
  body: (open: Open) => Promise<void>,
  timeoutMs?: number,
) => void {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`The browser tests need Chromium at ${CHROMIUM}: apt-get install chromium`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });
  return (name, body, timeoutMs = 30_000) => {
    it(
      name,
      async () => {
        const context = await (browser as Browser).newContext({
          viewport: { width: 1280, height: 800 },
        });
        // Well inside the test's own timeout, so that a stuck step fails with its screenshot.
        context.setDefaultTimeout(Math.min(10_000, timeoutMs / 2));
        const pages: Page[] = [];
        try {
          await body(async (url) => {
            const watched = watch(await context.newPage(), new URL(url).origin);
            pages.push(watched.page);
            await watched.page.goto(url);
            return watched;
          });
        } catch (error) {
          const shots = await Promise.all(pages.map((page, i) => screenshot(page, name, i)));
          if (error instanceof Error) error.message += `\nScreenshots: ${shots.join(', ')}`;
          throw error;
        } finally {
          await context.close();
        }
      },
      timeoutMs,
    );
  };
}

function watch(page: Page, origin: string): WatchedPage {
  const watched: WatchedPage = {
    page,
    errors: [],
    requests: [],
    sockets: [],
    foreignRequests: () => watched.requests.filter((url) => !sameOrigin(url, origin)),
  };
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('request', (request) => watched.requests.push(request.url()));
  page.on('websocket', (socket) => watched.sockets.push(socket.url()));
  return watched;
}

// The page's own origin, its WebSocket included; data: URLs never leave the page.
function sameOrigin(url: string, origin: string): boolean {
  if (url.startsWith('data:')) return true;
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol.replace(/^ws/, 'http');
  return parsed.origin === origin;
}

/** Saves what the page shows; returns the file's path. */
export async function screenshot(page: Page, name: string, index = 0): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const slug = name.replace(/\W+/g, '-').slice(0, 80);
  const path = `${RESULTS}${slug}${index ? `-${index}` : ''}.png`;
  await page.screenshot({ path, fullPage: true }).catch(() => undefined);
  return path;
}

/** axe-core's serious and critical findings on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`,
    );
}

/** Waits until the element's text is `expected`; fails saying what it was. */
export async function waitForText(
  locator: Locator,
  expected: string,
  timeoutMs = 5000,
): Promise<void> {
  let seen: string | null = null;
  try {
    await waitFor(async () => {
      seen = await locator.textContent({ timeout: timeoutMs }).catch(() => null);
      return seen?.trim() === expected;
    }, timeoutMs);
  } catch {
    throw new Error(`expected "${expected}", the page showed "${seen}"`);
  }
}

/** Waits until `count` elements match; fails saying how many did. */
export async function waitForCount(
  locator: Locator,
  count: number,
  timeoutMs = 5000,
): Promise<void> {
  let seen = -1;
  try {
    await waitFor(async () => (seen = await locator.count()) === count, timeoutMs);
  } catch {
    throw new Error(`expected ${count} of ${locator}, the page showed ${seen}`);
  }
}
