// The envelope and the error handler: meta everywhere, 404 / 405 / 1025 / 1008 / 1009 / 1010 in the envelope.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { startAdminNode, suiteScope, type TestNode } from '../support/harness.js';
import { assertError } from '../support/assertions.js';

describe('response envelope', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  it('GET / answers 200 with the links and meta, and no authentication', async () => {
    const response = await t.request({ url: '/' });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      links: { docs: '/docs', openapi: '/openapi.json', console: '/console', health: '/v1/health' },
      meta: { api_status: 'stable', version: 'v2.53.0' },
    });
    assert.match(String(response.headers.server), /^OpenPrem\//);
  });

  it('unknown routes are 404 / 1006 in the envelope', async () => {
    assertError(await t.request({ url: '/v1/nothing-here', token: admin }), 404, 1006, /GET \/v1\/nothing-here/);
    assertError(await t.request({ url: '/v1/nothing-here' }), 404, 1006);
  });

  it('a wrong method on a known path is 405 with Allow', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/contacts', token: admin });
    assertError(response, 405, 1025, /allowed: POST/);
    assert.equal(response.headers.allow, 'POST');
  });

  it('accepts a trailing slash', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/contacts/',
      token: admin,
      body: { blocking: 'wait', contacts: ['+16315551000'] },
    });
    assert.equal(response.status, 200);
  });

  it('malformed JSON is 400 / 1025', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/contacts',
      token: admin,
      payload: '{"contacts": [',
      headers: { 'content-type': 'application/json' },
    });
    assertError(response, 400, 1025, /not valid JSON/);
  });

  it('a wrong content type is 400 / 1025', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/contacts',
      token: admin,
      payload: 'contacts=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assertError(response, 400, 1025, /Content-Type/);
  });

  it('a charset other than UTF-8 is 400 / 1025', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/contacts',
      token: admin,
      payload: '{}',
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    });
    assertError(response, 400, 1025, /UTF-8/);
  });

  it('an oversized body is 413 / 1025', async () => {
    const huge = JSON.stringify({ contacts: ['1'.repeat(2 * 1024 * 1024)] });
    assertError(
      await t.request({
        method: 'POST',
        url: '/v1/contacts',
        token: admin,
        payload: huge,
        headers: { 'content-type': 'application/json' },
      }),
      413,
      1025,
    );
  });

  it('missing, wrong-typed and unexpected fields get 1008, 1009 and 1010 naming the field', async () => {
    const post = (body: unknown) => t.request({ method: 'POST', url: '/v1/contacts', token: admin, body });
    assertError(await post({}), 400, 1008, /contacts/);
    assertError(await post({ contacts: 'x' }), 400, 1009, /contacts must be of type array/);
    assertError(await post({ contacts: [1] }), 400, 1009, /contacts\[0\] must be of type string/);
    assertError(
      await post({ contacts: ['1'], blocking: 'later' }),
      400,
      1009,
      /blocking must be one of "wait", "no_wait"/,
    );
    assertError(await post({ contacts: ['1'], extra: true }), 400, 1010, /extra is not an accepted parameter/);
    assertError(await t.request({ method: 'POST', url: '/v1/contacts', token: admin }), 400, 1008, /JSON body/);
  });
});
