// Jest's globalSetup: compile the gateway once, as `npm start` and the Dockerfile do, so that
// tests in test/process/ can run the real process (`node dist/index.js`) with its own stdout,
// signals and exit code; and build the browser apps (the wallboard, GraphiQL) that the gateway
// serves and test/browser/ drives, when their sources changed since the last build. Plain
// JavaScript: it runs before ts-jest is in play.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const APPS = [
  {
    config: 'examples/wallboard/vite.config.ts',
    source: 'examples/wallboard/',
    built: 'wallboard',
  },
  { config: 'graphiql/vite.config.ts', source: 'graphiql/', built: 'graphiql' },
];

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
  for (const app of APPS) {
    const page = fileURLToPath(new URL(`dist/${app.built}/index.html`, root));
    const builtAt = existsSync(page) ? statSync(page).mtimeMs : 0;
    const sources = [new URL(app.source, root), new URL('package-lock.json', root)];
    if (sources.every((source) => newest(fileURLToPath(source)) < builtAt)) continue;
    execFileSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', app.config, '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
  }
}

/** The latest modification time of a file, or of anything in a folder. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path, { recursive: true })
    .map((name) => statSync(`${path}/${name}`).mtimeMs)
    .reduce((a, b) => Math.max(a, b), stat.mtimeMs);
}
