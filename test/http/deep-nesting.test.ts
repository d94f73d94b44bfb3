// Deeply nested JSON (src/lib/json-depth.ts) on every route that takes a body: read from the app's own route tree,
// so a route added later is covered without being listed. Each answer is a 4xx in the envelope, never a 500, and
// the node keeps serving.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { MAX_JSON_DEPTH } from '../../src/lib/json-depth.js';
import { ADMIN_PASSWORD, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { servedRoutes } from '../support/security.js';

const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const objects = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const BODIES: [string, string][] = [
  ['10,000 levels of arrays', arrays(10_000)],
  ['100,000 levels of arrays', arrays(100_000)],
  ['10,000 levels of objects', objects(10_000)],
  ['100,000 levels of objects', objects(100_000)],
];

// Deep values where routes read them, past their top-level shape checks: the fields whose validators walk or quote
// a value (5,000 levels of `shards` once overflowed the stack: 500 / 1000).
const FIELDS: [string, string, (deep: string) => string][] = [
  ['POST', '/v1/account/shards', (deep) => `{"cc":"1","phone_number":"6315550000","shards":${deep}}`],
  ['POST', '/v1/messages', (deep) => `{"to":"16315551000","type":"interactive","interactive":${deep}}`],
  [
    'POST',
    '/v1/messages',
    (deep) =>
      `{"to":"16315551000","type":"template","template":{"namespace":"x","name":"y","language":{"code":"en","policy":"deterministic"},"components":${deep}}}`,
  ],
  ['PATCH', '/v1/settings/application', (deep) => `{"webhooks":${deep}}`],
  ['POST', '/v1/contacts', (deep) => `{"contacts":${deep}}`],
  ['POST', '/v1/settings/restore', (deep) => `{"password":"x","data":${deep}}`],
];

/** POST /v1/media takes the file itself, of any type: a JSON document there is stored as bytes, never parsed. */
const RAW_BODY_ROUTES = new Set(['POST /v1/media']);

describe('deeply nested JSON on every route that takes a body', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
  });

  it('is answered 4xx in the envelope, never 500, and the node keeps serving', async () => {
    const routes = (await servedRoutes(t))
      .filter((route) => !route.startsWith('GET ') && !RAW_BODY_ROUTES.has(route))
      .map((route) => route.split(' ') as [string, string]);
    assert.ok(routes.length > 30, `only ${routes.length} routes found`);
    const token = await t.login('admin', ADMIN_PASSWORD);
    const refused: string[] = [];
    const wrong: string[] = [];
    const check = async (method: string, url: string, name: string, payload: string) => {
      const response = await t.request({
        method: method as 'POST',
        url,
        payload,
        headers: { 'content-type': 'application/json' },
        // Login checks its own Basic credentials, and logout would spend the token.
        ...(url === '/v1/users/login'
          ? { basic: ['admin', 'Wrong-Pass1!'] as [string, string] }
          : url === '/v1/users/logout'
            ? {}
            : { token }),
      });
      const enveloped = typeof response.body?.errors?.[0]?.code === 'number' && response.body.meta;
      if (response.status < 400 || response.status >= 500 || !enveloped) {
        wrong.push(`${method} ${url} with ${name}: ${response.status} ${response.text.slice(0, 120)}`);
      } else if (/nests deeper/.test(response.body.errors[0].details)) {
        refused.push(`${method} ${url}`);
      }
    };
    for (const [method, pattern] of routes) {
      const url = pattern.replace(/:[a-z_]+/g, 'sample1234').replace(/\*$/, 'x');
      for (const [name, payload] of BODIES) await check(method, url, name, payload);
    }
    for (const [method, url, document] of FIELDS) {
      for (const levels of [MAX_JSON_DEPTH, 5_000, 100_000])
        await check(method, url, `${levels} levels in a field`, document(arrays(levels)));
    }
    assert.deepEqual(wrong, []);
    // The depth check itself answered on the JSON routes, not only each route's other refusals.
    assert.ok(refused.includes('POST /v1/account/shards'), refused.join(', '));
    assert.ok(refused.includes('POST /v1/messages'), refused.join(', '));
    assert.equal((await t.request({ url: '/' })).status, 200);
  });
});
