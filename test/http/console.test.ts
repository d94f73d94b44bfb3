// The web console's files as the node serves them (src/http/console/): the page and its modules without a login,
// the security headers (the CSP allows the one inline import map by its hash), revalidation by ETag and gzip, the
// page for any view's address, 404 in the envelope for a missing asset, and no rate limit on a page load.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { startTestNode, suiteScope, type TestNode } from '../support/harness.js';

describe('the console files', () => {
  let t: TestNode;

  const suite = suiteScope();
  before(async () => {
    // Anonymous requests limited to 2 a minute: a page load (about fifteen files) must not draw from that bucket.
    t = await startTestNode(suite, { env: { WA_RATE_LIMIT_ANONYMOUS: '2/60', WA_RATE_LIMIT_ANONYMOUS_TOTAL: '2/60' } });
  });

  it('serves the page without authentication, with a CSP that allows its import map by hash and nothing inline else', async () => {
    const page = await t.request({ url: '/console' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(page.text)![1]!;
    assert.deepEqual(Object.keys(JSON.parse(importMap).imports), ['preact', 'preact/hooks', 'htm', 'uplot']);
    const hash = createHash('sha256').update(importMap).digest('base64');
    assert.equal(
      page.headers['content-security-policy'],
      `default-src 'self'; script-src 'self' 'sha256-${hash}'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; ` +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    // The import map is the only inline script: every other one has a src on this node.
    const scripts = [...page.text.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
    assert.deepEqual(
      scripts.filter((attributes) => !/\bsrc="\/console\//.test(attributes)),
      [' type="importmap"'],
    );
    assert.equal((await t.request({ url: '/console/' })).text, page.text);
  });

  it('answers index.html for any view address, so a view can be reloaded or bookmarked', async () => {
    const page = await t.request({ url: '/console' });
    for (const url of [
      '/console/deliveries',
      '/console/conversations/16315551234',
      '/console/templates/openprem_sandbox/hello_world/en_US',
    ]) {
      const response = await t.request({ url });
      assert.equal(response.status, 200, url);
      assert.equal(response.text, page.text, url);
      assert.match(String(response.headers['content-security-policy']), /^default-src 'self'/);
    }
  });

  it('serves the modules, the style sheet and the vendored libraries with their types', async () => {
    const expected: Record<string, RegExp> = {
      '/console/app.js': /^text\/javascript/,
      '/console/views/chat.js': /^text\/javascript/,
      '/console/style.css': /^text\/css/,
      '/console/icon.svg': /^image\/svg\+xml/,
      '/console/vendor/preact.mjs': /^text\/javascript/,
      '/console/vendor/hooks.mjs': /^text\/javascript/,
      '/console/vendor/htm.mjs': /^text\/javascript/,
      '/console/vendor/uplot.mjs': /^text\/javascript/,
      '/console/vendor/uplot.css': /^text\/css/,
    };
    for (const [url, type] of Object.entries(expected)) {
      const response = await t.request({ url });
      assert.equal(response.status, 200, url);
      assert.match(String(response.headers['content-type']), type, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
    }
    assert.match((await t.request({ url: '/console/vendor/preact.mjs' })).text, /export\{/);
  });

  it("generates the catalogue module from the server's own tables", async () => {
    const response = await t.request({ url: '/console/catalogue.js' });
    assert.equal(response.status, 200);
    const tables = Object.fromEntries(
      [...response.text.matchAll(/^export const (\w+) = (.*);$/gm)].map((m) => [m[1], JSON.parse(m[2]!)]),
    );
    assert.equal(tables.ERROR_TITLES[470], 'Re-engagement message');
    assert.deepEqual(tables.SANDBOX_FAILURE_CODES, [1026, 471, 472, 1013]);
    assert.ok(tables.VERTICAL_LABELS.includes('Shopping and Retail'));
    assert.deepEqual(tables.TEMPLATE_STATUSES, ['approved', 'paused', 'disabled', 'rejected']);
  });

  it('revalidates by ETag (304 with no body when unchanged) and gzips what shrinks', async () => {
    const first = await t.request({ url: '/console/app.js' });
    assert.equal(first.headers['cache-control'], 'no-cache');
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    const again = await t.request({ url: '/console/app.js', headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.equal((await t.request({ url: '/console/app.js', headers: { 'if-none-match': '"other"' } })).status, 200);

    const raw = await t.node.app.server.inject({
      url: '/console/vendor/uplot.mjs',
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(raw.headers['content-encoding'], 'gzip');
    const plain = await t.request({ url: '/console/vendor/uplot.mjs' });
    assert.equal(gunzipSync(raw.rawPayload).toString('utf8'), plain.text);
    assert.ok(
      raw.rawPayload.length < plain.text.length / 2,
      `${raw.rawPayload.length} gzipped bytes of ${plain.text.length}`,
    );
  });

  it('answers 404 in the envelope for a missing asset instead of the page', async () => {
    assertError(
      await t.request({ url: '/console/vendor/react.mjs' }),
      404,
      1006,
      'the console has no file vendor/react.mjs',
    );
    assertError(await t.request({ url: '/console/views/missing.js' }), 404, 1006);
    assertError(await t.request({ url: '/console/../src/config.ts' }), 404, 1006);
  });

  it('serves a whole page load without drawing from the anonymous rate bucket', async () => {
    for (let i = 0; i < 20; i++)
      assert.equal((await t.request({ url: i % 2 ? '/console/app.js' : '/console' })).status, 200);
    // The anonymous bucket is untouched: it still admits its two logins a minute.
    assert.notEqual(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['admin', 'wrong'] })).status,
      429,
    );
  });
});
