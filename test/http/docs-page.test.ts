// /docs (Swagger UI served by the node itself, under a strict Content-Security-Policy, nothing fetched elsewhere) and
// GET / (JSON for balancers and clients, a landing page for browsers). The document itself: openapi.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { assertError } from '../support/assertions.js';
import { BROWSER_SKIP, launchBrowser, saveScreenshot } from '../support/browser.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** The CSP directives of a response, by name. */
function cspOf(header: unknown): Map<string, string> {
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values.join(' ')]),
  );
}

/** The same-origin URLs an HTML page or the initializer script refers to. */
function referencedUrls(text: string): string[] {
  return [...text.matchAll(/(?:src|href)="([^"]+)"|url: '([^']+)'/g)].map((m) => (m[1] ?? m[2])!);
}

describe('/docs', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
  });

  it('serves our page under a strict CSP, and every file it refers to, from the node itself', async () => {
    const page = await t.request({ url: '/docs' });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const csp = cspOf(page.headers['content-security-policy']);
    assert.equal(csp.get('default-src'), "'self'");
    assert.equal(csp.get('script-src'), "'self'", 'no inline script, no eval');
    assert.equal(csp.get('connect-src'), "'self'");
    assert.doesNotMatch(page.text, /<script>|<script [^>]*>[^<]/, 'every script is an external file');
    const initializer = await t.request({ url: '/docs/swagger-initializer.js' });
    assert.match(initializer.text, /validatorUrl: null/);
    assert.match(initializer.text, /persistAuthorization: false/);
    const urls = [...referencedUrls(page.text), ...referencedUrls(initializer.text)];
    assert.deepEqual(
      urls.filter((url) => !url.startsWith('/')),
      [],
      'only paths on this node',
    );
    for (const url of [
      '/docs/swagger-ui-bundle.js',
      '/docs/swagger-ui.css',
      '/docs/swagger-initializer.js',
      '/openapi.json',
    ])
      assert.ok(urls.includes(url), url);
    const types: Record<string, RegExp> = {
      js: /^text\/javascript/,
      css: /^text\/css/,
      png: /^image\/png/,
      json: /^application\/json/,
    };
    for (const url of urls) {
      const file = await t.request({ url });
      assert.equal(file.status, 200, url);
      assert.match(String(file.headers['content-type']), types[url.split('.').pop()!]!, url);
      assert.ok(file.headers.etag, url);
      assert.equal(file.headers['cache-control'], 'no-cache', url);
    }
  });

  it('answers a known version with 304, and gzips what compresses', async () => {
    const plain = await t.request({ url: '/docs/swagger-ui-bundle.js' });
    const zipped = await t.node.app.server.inject({
      url: '/docs/swagger-ui-bundle.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'accept-encoding');
    assert.ok(
      zipped.rawPayload.length < plain.text.length / 2,
      `${zipped.rawPayload.length} of ${plain.text.length} bytes`,
    );
    assert.equal(gunzipSync(zipped.rawPayload).toString(), plain.text);
    assert.notEqual(zipped.headers.etag, plain.headers.etag, 'each representation has its own tag');
    const again = await t.request({
      url: '/docs/swagger-ui-bundle.js',
      headers: { 'if-none-match': `W/${plain.headers.etag}` },
    });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    const refused = await t.node.app.server.inject({
      url: '/docs/swagger-ui.css',
      headers: { 'accept-encoding': 'gzip;q=0, *' },
    });
    assert.equal(refused.headers['content-encoding'], undefined, 'gzip;q=0 is a refusal');
    const png = await t.node.app.server.inject({
      url: '/docs/favicon-32x32.png',
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(png.headers['content-encoding'], undefined, 'PNG is compressed already');
  });

  it('answers an unknown file 404 in the envelope, and other methods 405', async () => {
    assertError(await t.request({ url: '/docs/swagger-ui-bundle.js.map' }), 404, 1006, /no such file/);
    assertError(await t.request({ method: 'POST', url: '/docs' }), 405, 1025);
  });

  it('renders every operation in Chromium, fetches nothing elsewhere, and runs Try it out with a token', {
    skip: BROWSER_SKIP,
  }, async (context) => {
    await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
    const origin = `http://127.0.0.1:${(t.node.app.server.server.address() as AddressInfo).port}`;
    const operations = Object.values((await t.request({ url: '/openapi.json' })).body.paths).reduce(
      (n: number, item) => n + Object.keys(item as object).length,
      0,
    );
    // Logged in through the API, over HTTP, as an integration would.
    const login = await fetch(`${origin}/v1/users/login`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
    });
    const token = ((await login.json()) as { users: Array<{ token: string }> }).users[0]!.token;

    const browser = await launchBrowser();
    try {
      const { page, foreignRequests, errors } = await browser.open(origin, { width: 1280, height: 800 });
      let transferred = 0;
      page.on('requestfinished', async (request) => {
        const sizes = await request.sizes();
        transferred += sizes.responseBodySize + sizes.responseHeadersSize;
      });
      await page.goto(`${origin}/docs`);
      await page.locator('.opblock').first().waitFor();
      assert.equal(await page.locator('.opblock').count(), operations, 'every operation is rendered');
      await page.waitForLoadState('networkidle');
      // The first load only: a context that routes requests has no HTTP cache (Playwright), so no 304 here.
      context.diagnostic(`/docs: ${transferred} bytes transferred for the page and everything it loaded`);
      await saveScreenshot(page, 'docs');

      await page.locator('.auth-wrapper button.authorize').click();
      const bearer = page.locator('.auth-container').filter({ has: page.locator('#auth-bearer-value') });
      await bearer.locator('#auth-bearer-value').fill(token);
      await bearer.locator('button.authorize').click();
      await page.locator('.modal-ux button.close-modal').click();

      const sent: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/v1/health') sent.push(request.headers().authorization ?? '');
      });
      const health = page.locator('.opblock').filter({ has: page.locator('[data-path="/v1/health"]') });
      await health.locator('.opblock-summary').click();
      await health.locator('button.execute').click();
      await health.locator('.live-responses-table .response-col_status').filter({ hasText: '200' }).waitFor();
      assert.deepEqual(sent, [`Bearer ${token}`]);
      assert.match(
        await health.locator('.live-responses-table tr.response .response-col_description').innerText(),
        /gateway_status/,
      );

      assert.deepEqual(foreignRequests, [], 'no request left the node');
      assert.deepEqual(errors, [], 'no console error (a CSP violation is one)');
    } finally {
      await browser.close();
    }
  });
});

describe('GET /', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
  });

  it('answers JSON with links to anyone that does not ask for HTML: balancers, curl, API clients', async () => {
    for (const accept of [undefined, '*/*', 'application/json', 'text/html;q=0.5, application/json']) {
      const response = await t.request({ url: '/', ...(accept ? { headers: { accept } } : {}) });
      assert.equal(response.status, 200, accept);
      assert.match(String(response.headers['content-type']), /^application\/json/, accept);
      assert.equal(response.body.links.docs, '/docs');
      assert.equal(response.headers.vary, 'accept');
    }
    assert.equal((await t.request({ method: 'HEAD', url: '/' })).status, 200);
  });

  it('answers a browser a landing page with the version and the links, without script, under its CSP', async () => {
    const response = await t.request({ url: '/', headers: { accept: BROWSER_ACCEPT } });
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers.vary, 'accept, accept-encoding');
    assert.equal(cspOf(response.headers['content-security-policy']).get('default-src'), "'none'");
    assert.doesNotMatch(response.text, /<script|style=/);
    assert.ok(response.text.includes(`version <strong>${VERSION}</strong>`), 'the version');
    for (const link of ['/docs', '/console', '/v1/health', '/openapi.json'])
      assert.ok(response.text.includes(`href="${link}"`), link);
    assert.match(response.text, /API level v2\.53\.0/);
    const stylesheet = await t.request({ url: '/docs/openprem.css' });
    assert.equal(stylesheet.status, 200);
  });
});
