import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendJson } from './refusals.js';

// The browser apps `npm run build` puts beside the compiled gateway (Vite, see
// examples/wallboard/ and graphiql/). The same path from src/http/ and dist/http/, so the
// tests serve what `npm start` serves.
export const BUILT = fileURLToPath(new URL('../../dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The page's own rules: scripts, styles, data and sockets from this origin only, no inline
 * script, no framing. `connect-src 'self'` covers the same-origin WebSocket.
 */
export const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface File {
  body: Buffer;
  type: string;
  etag: string;
  /** Vite names everything under assets/ by its content's hash: it never changes. */
  immutable: boolean;
}

export interface StaticSite {
  /** Where it is served, such as `/wallboard/`. */
  path: string;
  /** The entry page as built, for a caller that serves it elsewhere (the GraphiQL landing page). */
  page: string;
  /** Answers a GET or HEAD for one of its files; false when the path is not the site's. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

export interface SiteOptions {
  /** Adapts the entry page, for example to add what only the server knows. */
  transformPage?: (html: string) => string;
  /** Serve the assets only: the page is served elsewhere (GraphiQL's, at /graphql). */
  assetsOnly?: boolean;
}

/**
 * A built app (`<built>/<name>/`, normally `dist/<name>/`), read once at boot: a few megabytes at most, held in memory
 * rather than read from disk per request. `undefined` when it has not been built.
 */
export function loadSite(
  built: string,
  name: string,
  { transformPage = (html) => html, assetsOnly = false }: SiteOptions = {},
): StaticSite | undefined {
  const root = join(built, name);
  if (!existsSync(join(root, 'index.html'))) return undefined;
  const files = new Map<string, File>();
  for (const path of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const type = TYPES[extname(path)];
    if (!type) continue;
    const name = relative(root, join(root, path)).split(sep).join('/');
    let body = readFileSync(join(root, path));
    if (name === 'index.html') body = Buffer.from(transformPage(body.toString('utf8')));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    files.set(name, { body, type, etag, immutable: name.startsWith('assets/') });
  }
  const path = `/${name}/`;
  const index = files.get('index.html') as File;
  if (assetsOnly) files.delete('index.html');
  return {
    path,
    page: index.body.toString('utf8'),
    serve(req, res, pathname) {
      if (pathname === path.slice(0, -1)) {
        res.writeHead(301, { location: path }).end();
        return true;
      }
      if (!pathname.startsWith(path)) return false;
      const file = files.get(pathname.slice(path.length) || 'index.html');
      if (!file) {
        sendJson(res, 404, { error: `Not found: ${pathname}` });
      } else if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        sendJson(res, 405, { error: 'Only GET and HEAD' });
      } else {
        send(req, res, file);
      }
      return true;
    },
  };
}

function send(req: IncomingMessage, res: ServerResponse, file: File): void {
  res.setHeader('content-type', file.type);
  res.setHeader('etag', file.etag);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  // A page is checked again on each visit, so a new build shows at once; what it names by
  // hash is kept for a year.
  res.setHeader(
    'cache-control',
    file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  if (file.type.startsWith('text/html')) res.setHeader('content-security-policy', PAGE_POLICY);
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304).end();
    return;
  }
  res.setHeader('content-length', file.body.length);
  res.writeHead(200).end(req.method === 'HEAD' ? undefined : file.body);
}
