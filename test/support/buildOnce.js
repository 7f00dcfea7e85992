// Jest's globalSetup: compile the gateway once, as `npm start` and the Dockerfile do, so that
// tests in test/process/ can run the real process (`node dist/index.js`) with its own stdout,
// signals and exit code. Plain JavaScript: it runs before ts-jest is in play.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

export default function buildOnce() {
  const root = new URL('../../', import.meta.url);
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const name of readdirSync(new URL('src/demo/', root))) {
    if (name.endsWith('.json'))
      cpSync(new URL(`src/demo/${name}`, root), new URL(`dist/demo/${name}`, root));
  }
}
