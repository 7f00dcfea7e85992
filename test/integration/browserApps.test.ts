import { readdirSync } from 'node:fs';
import { harnessPerTest, type Harness } from '../support/harness.js';
import { referenceInteraction } from '../support/fixture.js';

// The built browser apps as the gateway serves them over HTTP: which settings turn them on,
// their caching and security headers, and what it refuses. (test/browser/ drives them.)

const harness = harnessPerTest();
const accounts = { 'token-a': [referenceInteraction()] };

const base = (h: Harness) => h.gateway.url.replace(/\/graphql$/, '');
const get = (h: Harness, path: string, init?: RequestInit) =>
  fetch(`${base(h)}${path}`, { redirect: 'manual', ...init });

/** The path of the page's script, as Vite named it by its content's hash. */
async function scriptOf(h: Harness, page: string): Promise<string> {
  const html = await (await get(h, page, { headers: { accept: 'text/html' } })).text();
  const src = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error(`no module script in ${page}: ${html}`);
  return src;
}

describe('the wallboard at /wallboard/', () => {
  it('is served with WALLBOARD=true: the page revalidated each visit, under a policy without inline scripts', async () => {
    const h = await harness.start(accounts, { env: { WALLBOARD: 'true' } });
    const page = await get(h, '/wallboard/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is a file
    expect(html).not.toContain('demo-token'); // only demo mode fills the token in
  });

  it('keeps hashed assets for a year, and answers a revalidation with 304', async () => {
    const h = await harness.start(accounts, { env: { WALLBOARD: 'true' } });
    const script = await scriptOf(h, '/wallboard/');
    expect(script).toMatch(/^\/wallboard\/assets\/index-[\w-]+\.js$/);
    const asset = await get(h, script);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Number(asset.headers.get('content-length'))).toBe(
      (await asset.arrayBuffer()).byteLength,
    );

    const etag = (await get(h, '/wallboard/')).headers.get('etag') ?? '';
    const again = await get(h, '/wallboard/', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('redirects /wallboard to /wallboard/, and refuses unknown files and other methods', async () => {
    const h = await harness.start(accounts, { env: { WALLBOARD: 'true' } });
    const bare = await get(h, '/wallboard');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/wallboard/');
    expect((await get(h, '/wallboard/assets/nothing.js')).status).toBe(404);
    expect((await get(h, '/wallboard/%2e%2e/package.json')).status).toBe(404);
    const post = await get(h, '/wallboard/', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await get(h, '/wallboard/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('is not served with WALLBOARD=false', async () => {
    const h = await harness.start(accounts, { env: { WALLBOARD: 'false' } });
    expect((await get(h, '/wallboard/')).status).toBe(404);
  });

  it('carries the demo token in a meta tag in demo mode', async () => {
    const h = await harness.start(accounts, {
      env: { WALLBOARD: 'true' },
      parts: { demoToken: 'demo-token' },
    });
    const html = await (await get(h, '/wallboard/')).text();
    expect(html).toContain('<meta name="demo-token" content="demo-token" />');
  });
});

describe('LANDING_PAGE=graphiql', () => {
  it('answers a browser at /graphql with GraphiQL, its scripts from /graphiql/ and its prefill as data', async () => {
    const h = await harness.start(accounts, {
      env: { LANDING_PAGE: 'graphiql' },
      parts: {
        sandbox: {
          sandboxHeaders: { Authorization: 'Bearer </script><script>alert(1)</script>' },
          sandboxVariables: {},
          sandboxLive: false,
        },
      },
    });
    const page = await get(h, '/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).toContain('<script type="application/json" id="graphiql-prefill">');
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).not.toMatch(/<script(?![^>]*\b(src=|type="application\/json"))[^>]*>/);
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/); // nothing from another origin

    const asset = await get(h, await scriptOf(h, '/graphql'));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Its page is /graphql's: the one at /graphiql/ is not served.
    expect((await get(h, '/graphiql/')).status).toBe(404);
  });

  it('leaves Apollo Sandbox the default, and serves no GraphiQL files then', async () => {
    const h = await harness.start(accounts);
    const html = await (await get(h, '/graphql', { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('apollo');
    expect(html).not.toContain('graphiql-prefill');
    expect((await get(h, graphiqlScript())).status).toBe(404);
  });
});

// A real GraphiQL asset path, to show it is not served when GraphiQL is not the landing page.
function graphiqlScript(): string {
  const assets = readdirSync(new URL('../../dist/graphiql/assets/', import.meta.url));
  return `/graphiql/assets/${assets.find((file) => file.endsWith('.js'))}`;
}
