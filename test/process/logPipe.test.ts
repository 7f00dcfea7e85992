import { readFileSync } from 'node:fs';
import { startGatewayProcess, stopGatewayProcesses } from '../support/process.js';

const QUERY = JSON.stringify({
  query: '{ interaction(guid: "016f7e44-7556-4747-9982-de543dfbe27f") { guid status } }',
});

function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

/** Sends `count` operations, `concurrency` at a time; resolves with how many came back whole. */
async function load(url: string, count: number, concurrency: number): Promise<number> {
  let sent = 0;
  let answered = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer demo-token' },
        body: QUERY,
      });
      const body = (await response.json()) as { data?: { interaction?: { guid?: string } } };
      if (body.data?.interaction?.guid) answered++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answered;
}

const SMALL_BUFFER = { LOG_LEVEL: 'info', LOG_BUFFER_BYTES: String(64 * 1024) };

describe('a gateway whose stdout nobody reads (a stuck log shipper)', () => {
  afterEach(stopGatewayProcesses);

  it('keeps answering with flat memory, counts the log lines it drops, and exits 0 on SIGTERM within its grace period', async () => {
    const gateway = await startGatewayProcess({
      unreadStdout: true,
      env: { ...SMALL_BUFFER, SHUTDOWN_DELAY_MS: '0', SHUTDOWN_GRACE_MS: '2000' },
    });
    const pid = gateway.child.pid as number;
    // About 220 bytes a line: the first 1,000 fill the pipe and the gateway's 64 KiB buffer;
    // the next 3,000 let V8 settle. The count of dropped lines below is what proves the buffer
    // bounded; the resident set only guards against gross growth, with room for V8 enlarging
    // its heap as it pleases (10 to 21 MiB seen over 3,000 operations on a busy machine).
    expect(await load(gateway.url, 4000, 16)).toBe(4000);
    const settled = residentMiB(pid);
    expect(await load(gateway.url, 3000, 16)).toBe(3000);
    expect(residentMiB(pid) - settled).toBeLessThan(40);

    const metrics = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    const dropped = Number(/^stats_gateway_log_lines_dropped_total (\d+)/m.exec(metrics)?.[1]);
    expect(dropped).toBeGreaterThan(5500);

    const started = Date.now();
    const code = await gateway.terminate(8000);
    expect(code).toBe(0);
    // The grace period, plus room for a machine busy with other tests.
    expect(Date.now() - started).toBeLessThan(5000);
  }, 60_000);

  it('says when it starts and stops dropping lines, once each', async () => {
    const gateway = await startGatewayProcess({ unreadStdout: true, env: SMALL_BUFFER });
    await load(gateway.url, 1000, 16);
    gateway.readStdout();
    await load(gateway.url, 10, 1);
    await gateway.terminate(5000);
    const lines = gateway
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; droppedLines?: number });
    const notices = lines.filter((line) => line.msg.startsWith('log lines'));
    expect(notices.map((line) => line.msg)).toEqual([
      'log lines dropped: stdout is not being read fast enough',
      'log lines no longer dropped',
    ]);
    expect(notices[1]?.droppedLines).toBeGreaterThan(0);
  }, 60_000);
});
