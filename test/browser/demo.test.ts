import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { browserTests, screenshot, seriousViolations, waitForText } from '../support/browser.js';
import { startGatewayProcess, stopGatewayProcesses } from '../support/process.js';

// `npm start` with nothing configured, as a newcomer meets it: the built gateway on demo data,
// the banner's wallboard address opened in Chromium. With UPDATE_SCREENSHOTS=1 the picture it
// takes replaces docs/wallboard.png, the one the README shows.

const DOCS_PICTURE = fileURLToPath(new URL('../../docs/wallboard.png', import.meta.url));
const test = browserTests();

afterEach(stopGatewayProcesses);

describe('npm start on demo data', () => {
  test('prints the wallboard’s address, which shows queues and calls live with the demo token filled in', async (open) => {
    const gateway = await startGatewayProcess();
    const address = /Wallboard: +(\S+)/.exec(gateway.stdout())?.[1];
    expect(address).toBe(gateway.url.replace(/\/graphql$/, '/wallboard/'));

    const board = await open(address as string);
    await board.page.getByTestId('queue-tile').first().waitFor({ timeout: 10_000 });
    await board.page.getByTestId('ongoing-call').first().waitFor({ timeout: 10_000 });
    await waitForText(board.page.getByTestId('connection-status'), 'Live');
    expect(board.errors).toEqual([]);
    expect(board.foreignRequests()).toEqual([]);

    await board.page.getByTestId('ongoing-call').first().click();
    await board.page.getByTestId('timeline-bar').first().waitFor();
    expect(await seriousViolations(board.page)).toEqual([]);
    const picture = await screenshot(board.page, 'wallboard on demo data');
    if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(picture, DOCS_PICTURE);

    // Signed out, the field offers the demo token again.
    await board.page.getByRole('button', { name: 'Close' }).click();
    await board.page.getByRole('button', { name: 'Sign out' }).click();
    expect(await board.page.getByLabel('Access token').inputValue()).toBe('demo-token');
    expect(await gateway.terminate(10_000)).toBe(0);
  });
});
