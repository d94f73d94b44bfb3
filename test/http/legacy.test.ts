// Endpoints of the old API that OpenPrem answers 404 / 1006 on purpose (docs/api/README.md#removed-endpoints): the
// removed Groups API on every method and path the old API's documentation lists, and the internal stats. Each answer
// says why; each endpoint is authenticated like its neighbours. The message GC service path, once on that list, now
// runs the collector.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { API_KEY, startAdminNode, suiteScope, type RequestOptions, type TestNode } from '../support/harness.js';

const GROUPS_REMOVED = /^the Groups API \(\/v1\/groups\) was removed from the On-Premises API in its later versions/;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

// Every Groups call the old API's documentation lists, with the bodies it documents.
const GROUP_CALLS: RequestOptions[] = [
  { method: 'GET', url: '/v1/groups' },
  { method: 'POST', url: '/v1/groups', body: { subject: 'Support' } },
  { method: 'GET', url: '/v1/groups/16315551234-1518728120' },
  { method: 'PUT', url: '/v1/groups/16315551234-1518728120', body: { subject: 'Renamed' } },
  { method: 'GET', url: '/v1/groups/16315551234-1518728120/invite' },
  { method: 'DELETE', url: '/v1/groups/16315551234-1518728120/invite' },
  { method: 'DELETE', url: '/v1/groups/16315551234-1518728120/participants', body: { wa_ids: ['16315551000'] } },
  { method: 'POST', url: '/v1/groups/16315551234-1518728120/leave' },
  { method: 'GET', url: '/v1/groups/16315551234-1518728120/icon' },
  {
    method: 'POST',
    url: '/v1/groups/16315551234-1518728120/icon',
    payload: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    headers: { 'content-type': 'image/jpeg' },
  },
  { method: 'DELETE', url: '/v1/groups/16315551234-1518728120/icon' },
  { method: 'PATCH', url: '/v1/groups/16315551234-1518728120/admins', body: { wa_ids: ['16315551000'] } },
  { method: 'DELETE', url: '/v1/groups/16315551234-1518728120/admins', body: { wa_ids: ['16315551000'] } },
  { method: 'GET', url: '/v1/groups/' },
];

describe('removed and undocumented endpoints', () => {
  let t: TestNode;
  let admin: string;
  let user: string;
  const suite = suiteScope();
  before(async () => {
    ({ t, admin } = await startAdminNode(suite));
    user = await t.userToken();
  });

  it('every Groups call of the reference answers 404 / 1006 saying the API was removed, for an admin', async () => {
    for (const call of GROUP_CALLS) {
      const response = await t.request({ ...call, token: admin });
      assertError(response, 404, 1006, GROUPS_REMOVED);
      assert.deepEqual(response.body.meta, { api_status: 'stable', version: 'v2.53.0' }, `${call.method} ${call.url}`);
    }
    for (const method of METHODS)
      assertError(
        await t.request({ method, url: '/v1/groups/any/deeper/path', token: admin }),
        404,
        1006,
        GROUPS_REMOVED,
      );
  });

  it('the Groups API needs a token (401) and, like every endpoint outside the ROLE_USER list, the admin role (403)', async () => {
    for (const call of GROUP_CALLS) {
      assertError(await t.request(call), 401, 1005);
      assertError(await t.request({ ...call, token: user }), 403, 1005);
    }
  });

  it('paths that only start like /v1/groups are not taken for it', async () => {
    assertError(await t.request({ url: '/v1/groupsx', token: admin }), 404, 1006, 'no such endpoint: GET /v1/groupsx');
  });

  it('the internal stats answer 404 / 1006 naming the stats that exist, to users and the API key alike', async () => {
    for (const section of ['app', 'db']) {
      const url = `/v1/stats/${section}/internal`;
      const details =
        /^internal stats were Meta's support figures and their content is not documented; OpenPrem serves \/v1\/stats\/app and \/v1\/stats\/db$/;
      assertError(await t.request({ url, token: user }), 404, 1006, details);
      assertError(await t.request({ url, apiKey: API_KEY }), 404, 1006, details);
      assertError(await t.request({ url }), 401, 1005);
      assertError(await t.request({ method: 'POST', url, token: user }), 405, 1025, /allowed: GET$/);
    }
  });

  it('the message GC service runs on PUT at both its paths, to admins only; other methods are 405', async () => {
    for (const url of ['/v1/services/message/gc', '/services/message/gc']) {
      const run = await t.request({ method: 'PUT', url, token: admin });
      assert.equal(run.status, 200, run.text);
      assert.equal(typeof run.body.gc.messages, 'number');
      assertError(await t.request({ method: 'PUT', url }), 401, 1005);
      assertError(await t.request({ method: 'PUT', url, token: user }), 403, 1005);
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE'] as const)
        assertError(await t.request({ method, url, token: admin }), 405, 1025, /allowed: PUT$/);
    }
  });
});
