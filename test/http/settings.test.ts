// /v1/settings/application and its media providers (docs/api/settings.md#application-settings,
// docs/api/settings.md#media-providers): defaults, partial PATCH, validation, reset, the hidden webhook secret, and
// settings shared by nodes on one database.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { eventually, startAdminNode, startTestNode, suiteScope, type TestNode } from '../support/harness.js';

const URL_APP = '/v1/settings/application';
const URL_PROVIDERS = '/v1/settings/application/media/providers';
const SECRET = 'a-webhook-secret-0123456789';

const DEFAULTS = {
  callback_backoff_delay_ms: 3000,
  max_callback_backoff_delay_ms: 900000,
  callback_persist: true,
  pass_through: false,
  sent_status: false,
  heartbeat_interval: 5,
  unhealthy_interval: 30,
  notify_user_change_number: true,
  show_security_notifications: true,
  verbose_logging: false,
  log_level: 'info',
  garbagecollector_enable: { media: false, messages: true },
  media: { auto_download: ['image', 'video', 'voice', 'sticker', 'audio', 'document'] },
  wa_id: '16315550000',
  webhooks: {
    url: null,
    max_concurrent_requests: 6,
    message: { sent: false, delivered: true, read: true },
    secret_set: false,
  },
};

describe('application settings', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));
  beforeEach(async () => {
    assert.equal((await t.request({ method: 'DELETE', url: URL_APP, token: admin })).status, 200);
  });

  const get = async () => {
    const response = await t.request({ url: URL_APP, token: admin });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.meta, { api_status: 'stable', version: 'v2.53.0' });
    return response.body.settings.application;
  };
  const patch = (body: unknown) => t.request({ method: 'PATCH', url: URL_APP, token: admin, body });
  const patchOk = async (body: unknown) => {
    const response = await patch(body);
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body, { meta: { api_status: 'stable', version: 'v2.53.0' } });
  };

  it('GET answers the defaults when nothing was set, and reading stores nothing', async () => {
    assert.deepEqual(await get(), DEFAULTS);
    assert.deepEqual(
      await t.node.db.db.selectFrom('settings').selectAll().where('name', '!=', 'secrets_key').execute(),
      [],
    );
    assert.deepEqual(t.node.settings.current().webhooks.secret, null);
  });

  it('PATCH sets each field, and GET and the in-memory settings show it', async () => {
    const changes: [object, object][] = [
      [{ callback_persist: false }, { callback_persist: false }],
      [{ pass_through: true }, { pass_through: true }],
      [{ sent_status: true }, { sent_status: true }],
      [{ heartbeat_interval: 10 }, { heartbeat_interval: 10 }],
      [{ unhealthy_interval: 60 }, { unhealthy_interval: 60 }],
      [{ notify_user_change_number: false }, { notify_user_change_number: false }],
      [{ show_security_notifications: false }, { show_security_notifications: false }],
      [{ verbose_logging: true }, { verbose_logging: true }],
      [{ log_level: 'debug' }, { log_level: 'debug' }],
      [
        { garbagecollector_enable: { media: true, messages: false } },
        { garbagecollector_enable: { media: true, messages: false } },
      ],
      [{ media: { auto_download: ['image', 'audio', 'image'] } }, { media: { auto_download: ['image', 'audio'] } }],
      [
        { callback_backoff_delay_ms: 1000, max_callback_backoff_delay_ms: 60000 },
        { callback_backoff_delay_ms: 1000, max_callback_backoff_delay_ms: 60000 },
      ],
      [{ on_call_pager: '16315550999' }, { on_call_pager: '16315550999' }],
      [{ axolotl_context_striping_disabled: true }, { axolotl_context_striping_disabled: true }],
      [
        { webhook_payload_conversation_pricingmodel_disabled: false },
        { webhook_payload_conversation_pricingmodel_disabled: false },
      ],
    ];
    let expected: Record<string, unknown> = { ...DEFAULTS };
    for (const [body, change] of changes) {
      await patchOk(body);
      expected = { ...expected, ...change };
      assert.deepEqual(await get(), expected, JSON.stringify(body));
    }
    const webhooks = {
      url: 'http://10.0.0.5:8080/hook?auth=x',
      max_concurrent_requests: 18,
      message: { sent: true, delivered: false, read: false },
    };
    await patchOk({ webhooks });
    assert.deepEqual((await get()).webhooks, { ...webhooks, secret_set: false });
    const current = t.node.settings.current();
    assert.equal(current.webhooks.url, webhooks.url);
    assert.equal(current.log_level, 'debug');
    assert.deepEqual(current.media.auto_download, ['image', 'audio']);
    await patchOk({ webhooks: { url: 'https://example.com/whatsapp' } });
    assert.equal((await get()).webhooks.url, 'https://example.com/whatsapp');
    for (const unset of [null, '', '  ']) {
      await patchOk({ webhooks: { url: 'https://example.com/x' } });
      await patchOk({ webhooks: { url: unset } });
      assert.equal((await get()).webhooks.url, null, JSON.stringify(unset));
    }
  });

  it('a partial nested PATCH keeps the siblings it does not name', async () => {
    await patchOk({
      webhooks: { url: 'https://example.com/hook', max_concurrent_requests: 12 },
      garbagecollector_enable: { media: true },
    });
    await patchOk({ webhooks: { message: { read: false } }, garbagecollector_enable: { messages: false } });
    await patchOk({ verbose_logging: true });
    const settings = await get();
    assert.deepEqual(settings.webhooks, {
      url: 'https://example.com/hook',
      max_concurrent_requests: 12,
      message: { sent: false, delivered: true, read: false },
      secret_set: false,
    });
    assert.deepEqual(settings.garbagecollector_enable, { media: true, messages: false });
    assert.equal(settings.verbose_logging, true);
    assert.equal(settings.callback_persist, true);
  });

  it("accepts a full body as Meta's collection writes it: every documented setting, the older GC name included", async () => {
    // Every field of the old API's application settings table, values as the collection and old docs write them
    // (backoffs as numeric strings), with the garbage collector under its older name db_garbagecollector_enable.
    const collectionBody = {
      webhooks: {
        url: 'https://crm.example.com/whatsapp',
        max_concurrent_requests: 12,
        message: { sent: true, delivered: true, read: false },
      },
      callback_persist: true,
      callback_backoff_delay_ms: '3000',
      max_callback_backoff_delay_ms: '900000',
      pass_through: false,
      sent_status: false,
      media: { auto_download: ['image', 'document', 'audio'] },
      heartbeat_interval: 5,
      unhealthy_interval: 30,
      db_garbagecollector_enable: { media: true, messages: false },
      notify_user_change_number: true,
      show_security_notifications: false,
      verbose_logging: false,
      log_level: 'info',
      wa_id: DEFAULTS.wa_id,
      on_call_pager: '16315550999',
      axolotl_context_striping_disabled: false,
      webhook_payload_conversation_pricingmodel_disabled: false,
      tcp_listen_address: 'any',
    };
    await patchOk(collectionBody);
    const settings = await get();
    assert.deepEqual(
      settings.garbagecollector_enable,
      { media: true, messages: false },
      'stored under the current name',
    );
    assert.ok(!('db_garbagecollector_enable' in settings), 'GET answers the current name only');
    assert.equal(settings.tcp_listen_address, 'any');
    assert.equal(settings.callback_backoff_delay_ms, 3000);
    assert.deepEqual(settings.webhooks.message, collectionBody.webhooks.message);
    assert.equal(settings.show_security_notifications, false);

    // Both names: merged when they agree or name different switches, refused when one switch is given two values.
    await patchOk({
      garbagecollector_enable: { media: false },
      db_garbagecollector_enable: { messages: true, media: false },
    });
    assert.deepEqual((await get()).garbagecollector_enable, { media: false, messages: true });
    assertError(
      await patch({ garbagecollector_enable: { messages: false }, db_garbagecollector_enable: { messages: true } }),
      400,
      1009,
      /^garbagecollector_enable\.messages and db_garbagecollector_enable\.messages/,
    );
    assertError(
      await patch({ db_garbagecollector_enable: { db: true } }),
      400,
      1010,
      /^db_garbagecollector_enable\.db is not an accepted parameter/,
    );
    assert.deepEqual((await get()).garbagecollector_enable, { media: false, messages: true });
  });

  it('every number and boolean setting also takes exactly a numeric string or "true"/"false", as shards does', async () => {
    const table: [object, object][] = [
      [
        { heartbeat_interval: '10', unhealthy_interval: '60' },
        { heartbeat_interval: 10, unhealthy_interval: 60 },
      ],
      [
        { callback_persist: 'false', verbose_logging: 'true' },
        { callback_persist: false, verbose_logging: true },
      ],
      [
        { webhooks: { max_concurrent_requests: '12', message: { read: 'false' } } },
        {
          webhooks: {
            ...DEFAULTS.webhooks,
            max_concurrent_requests: 12,
            message: { ...DEFAULTS.webhooks.message, read: false },
          },
        },
      ],
      [{ garbagecollector_enable: { media: 'true' } }, { garbagecollector_enable: { media: true, messages: true } }],
      [{ axolotl_context_striping_disabled: 'true' }, { axolotl_context_striping_disabled: true }],
    ];
    for (const [body, change] of table) {
      assert.equal((await t.request({ method: 'DELETE', url: URL_APP, token: admin })).status, 200);
      await patchOk(body);
      assert.deepEqual(await get(), { ...DEFAULTS, ...change }, JSON.stringify(body));
    }
    for (const [body, details] of [
      [{ heartbeat_interval: '10.5' }, /^heartbeat_interval must be of type integer/],
      [{ heartbeat_interval: ' 10' }, /^heartbeat_interval must be of type integer/],
      [
        { webhooks: { max_concurrent_requests: '8' } },
        /^webhooks\.max_concurrent_requests must be one of 6, 12, 18, 24/,
      ],
      [{ pass_through: 'TRUE' }, /^pass_through must be of type boolean/],
    ] as const)
      assertError(await patch(body), 400, 1009, details);
  });

  it('the backoff fields take a numeric string or an integer, and answer integers', async () => {
    await patchOk({ callback_backoff_delay_ms: '1500', max_callback_backoff_delay_ms: '45000' });
    let settings = await get();
    assert.equal(settings.callback_backoff_delay_ms, 1500);
    assert.equal(settings.max_callback_backoff_delay_ms, 45000);
    await patchOk({ callback_backoff_delay_ms: 2000, max_callback_backoff_delay_ms: 2000 });
    settings = await get();
    assert.equal(settings.callback_backoff_delay_ms, 2000);
    assert.equal(settings.max_callback_backoff_delay_ms, 2000, 'the step may equal the cap');
    assert.equal(t.node.settings.current().callback_backoff_delay_ms, 2000);
  });

  it('refuses every invalid value with the code that names the field, and changes nothing', async () => {
    await patchOk({ webhooks: { url: 'https://example.com/keep' } });
    const cases: [unknown, number, RegExp][] = [
      [{ colour: 'blue' }, 1010, /^colour is not an accepted parameter/],
      [{ webhooks: { urls: 'https://x.com' } }, 1010, /^webhooks\.urls is not an accepted parameter/],
      [{ webhooks: { message: { seen: true } } }, 1010, /^webhooks\.message\.seen/],
      [{ garbagecollector_enable: { db: true } }, 1010, /^garbagecollector_enable\.db/],
      [{ callback_persist: 'yes' }, 1009, /^callback_persist must be of type boolean/],
      [{ webhooks: { url: 'ftp://example.com/hook' } }, 1009, /^webhooks\.url must be an absolute http/],
      [{ webhooks: { url: 'example.com/hook' } }, 1009, /^webhooks\.url/],
      [{ webhooks: { url: 'https://' } }, 1009, /^webhooks\.url/],
      [{ webhooks: { url: `https://example.com/${'a'.repeat(2030)}` } }, 1009, /^webhooks\.url/],
      [{ webhooks: { url: 42 } }, 1009, /^webhooks\.url must be of type string,null/],
      [
        { webhooks: { max_concurrent_requests: 8 } },
        1009,
        /^webhooks\.max_concurrent_requests must be one of 6, 12, 18, 24/,
      ],
      [
        { webhooks: { max_concurrent_requests: 'six' } },
        1009,
        /^webhooks\.max_concurrent_requests must be of type integer/,
      ],
      [{ webhooks: { secret: 'short' } }, 1009, /^webhooks\.secret must be 16 to 256 characters/],
      [{ webhooks: { secret: 'x'.repeat(257) } }, 1009, /^webhooks\.secret/],
      [{ callback_backoff_delay_ms: 0 }, 1009, /^callback_backoff_delay_ms must be a whole number/],
      [{ callback_backoff_delay_ms: -5 }, 1009, /^callback_backoff_delay_ms/],
      [{ callback_backoff_delay_ms: '3s' }, 1009, /^callback_backoff_delay_ms/],
      [{ callback_backoff_delay_ms: '' }, 1009, /^callback_backoff_delay_ms/],
      [
        { callback_backoff_delay_ms: 1.5 },
        1009,
        /^callback_backoff_delay_ms must be a whole number of milliseconds from 1 to 86400000, as an integer or a numeric string/,
      ],
      [{ max_callback_backoff_delay_ms: true }, 1009, /^max_callback_backoff_delay_ms/],
      [{ max_callback_backoff_delay_ms: null }, 1009, /^max_callback_backoff_delay_ms/],
      [{ callback_backoff_delay_ms: { ms: 5 } }, 1009, /^callback_backoff_delay_ms/],
      [{ max_callback_backoff_delay_ms: '99999999999' }, 1009, /^max_callback_backoff_delay_ms/],
      [
        { max_callback_backoff_delay_ms: 1000 },
        1009,
        /callback_backoff_delay_ms \(3000\) must not exceed max_callback_backoff_delay_ms \(1000\)/,
      ],
      [{ callback_backoff_delay_ms: '900001' }, 1009, /must not exceed max_callback_backoff_delay_ms/],
      [{ media: { auto_download: ['image', 'gif'] } }, 1009, /^media\.auto_download\[1\] must be one of/],
      [{ media: { auto_download: 'image' } }, 1009, /^media\.auto_download must be of type array/],
      [{ heartbeat_interval: 0 }, 1009, /^heartbeat_interval must be a whole number of seconds/],
      [{ unhealthy_interval: '30s' }, 1009, /^unhealthy_interval must be of type integer/],
      [{ log_level: 'loud' }, 1009, /^log_level must be one of/],
      [{ wa_id: '15550001111' }, 1009, /^wa_id is read-only/],
      [{ webhooks: { secret_set: true } }, 1009, /^webhooks\.secret_set is read-only/],
      [[], 1009, /must be of type object/],
    ];
    for (const [body, code, details] of cases) assertError(await patch(body), 400, code, details);
    assertError(await t.request({ method: 'PATCH', url: URL_APP, token: admin }), 400, 1008);
    const settings = await get();
    assert.deepEqual(settings, { ...DEFAULTS, webhooks: { ...DEFAULTS.webhooks, url: 'https://example.com/keep' } });
  });

  it('DELETE resets every setting to its default and removes the stored row', async () => {
    await patchOk({
      callback_persist: false,
      webhooks: { url: 'https://example.com/h', secret: SECRET },
      media: { auto_download: [] },
    });
    assert.notDeepEqual(await get(), DEFAULTS);
    const reset = await t.request({ method: 'DELETE', url: URL_APP, token: admin });
    assert.equal(reset.status, 200, reset.text);
    assert.deepEqual(reset.body, { meta: { api_status: 'stable', version: 'v2.53.0' } });
    assert.deepEqual(await get(), DEFAULTS);
    assert.equal(t.node.settings.current().webhooks.secret, null);
    assert.deepEqual(
      await t.node.db.db.selectFrom('settings').select('name').where('name', '=', 'application').execute(),
      [],
    );
  });

  it('never shows the webhook secret, and a GET-then-PATCH round trip keeps it', async () => {
    await patchOk({ webhooks: { url: 'https://example.com/signed', secret: SECRET } });
    const response = await t.request({ url: URL_APP, token: admin });
    assert.ok(!response.text.includes(SECRET), 'the secret is not in the response text');
    assert.ok(!('secret' in response.body.settings.application.webhooks));
    assert.equal(response.body.settings.application.webhooks.secret_set, true);
    assert.equal(t.node.settings.current().webhooks.secret, SECRET, 'the dispatcher still gets it');

    // A client that PATCHes back what it read (wa_id and secret_set included) changes nothing and loses nothing.
    await patchOk(response.body.settings.application);
    assert.equal(t.node.settings.current().webhooks.secret, SECRET);
    assert.deepEqual(await get(), response.body.settings.application);

    await patchOk({ webhooks: { secret: null } });
    assert.equal((await get()).webhooks.secret_set, false);
    assert.equal(t.node.settings.current().webhooks.secret, null);
  });

  it('an empty PATCH is a no-op that writes nothing', async () => {
    await patchOk({});
    assert.deepEqual(await get(), DEFAULTS);
    assert.deepEqual(
      await t.node.db.db.selectFrom('settings').selectAll().where('name', '!=', 'secrets_key').execute(),
      [],
    );
  });
});

describe('media providers', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  const list = async () => {
    const response = await t.request({ url: URL_PROVIDERS, token: admin });
    assert.equal(response.status, 200, response.text);
    return response.body.settings.application.media.providers;
  };
  const upsert = (body: unknown) => t.request({ method: 'POST', url: URL_PROVIDERS, token: admin, body });
  const remove = (name: string) =>
    t.request({ method: 'DELETE', url: `${URL_PROVIDERS}/${encodeURIComponent(name)}`, token: admin });

  it('creates, lists, replaces by name and deletes providers', async () => {
    assert.deepEqual(await list(), []);
    const p1 = { name: 'p1', type: 'www', config: { basic: { username: 'u', password: 'p' } } };
    const p2 = { name: 'p2', type: 'www', config: { bearer: 'token-2' } };
    const created = await upsert([p1, p2]);
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(created.body, { meta: { api_status: 'stable', version: 'v2.53.0' } });
    assert.deepEqual(await list(), [p1, p2]);

    const p1b = { name: 'p1', type: 'www', config: { bearer: 'token-1' } };
    const p3 = { name: 'media host 3', type: 'www', config: { basic: { username: 'x', password: '' } } };
    assert.equal((await upsert([p3, p1b])).status, 200);
    assert.deepEqual(await list(), [p1b, p2, p3], 'replaced in place, new ones appended');

    assert.equal((await remove('p2')).status, 200);
    assert.deepEqual(await list(), [p1b, p3]);
    assert.equal((await remove('media host 3')).status, 200);
    assertError(await remove('p2'), 404, 1006, 'no media provider is named "p2"');
    assertError(await remove('never'), 404, 1006);
    assert.deepEqual(await list(), [p1b]);
    assert.equal((await upsert([])).status, 200, 'an empty upsert changes nothing');
    assert.deepEqual(await list(), [p1b]);
  });

  it('refuses invalid providers with the code that names the field, and stores nothing of them', async () => {
    const before = await list();
    const cases: [unknown, number, RegExp][] = [
      [[{ type: 'www', config: { bearer: 't' } }], 1008, /^missing required parameter \[0\]\.name/],
      [[{ name: 'a', config: { bearer: 't' } }], 1008, /\[0\]\.type/],
      [[{ name: 'a', type: 'www' }], 1008, /\[0\]\.config/],
      [[{ name: 'a', type: 'www', config: {} }], 1008, /\[0\]\.config\.bearer or \[0\]\.config\.basic/],
      [[{ name: 'a', type: 'www', config: { basic: { username: 'u' } } }], 1008, /\[0\]\.config\.basic\.password/],
      [[{ name: 'a', type: 'ftp', config: { bearer: 't' } }], 1009, /^\[0\]\.type must be one of "www"/],
      [[{ name: '', type: 'www', config: { bearer: 't' } }], 1009, /^\[0\]\.name/],
      [[{ name: 'n'.repeat(65), type: 'www', config: { bearer: 't' } }], 1009, /^\[0\]\.name/],
      [
        [{ name: 'a', type: 'www', config: { bearer: 't', basic: { username: 'u', password: 'p' } } }],
        1009,
        /not both/,
      ],
      [[{ name: 'a', type: 'www', config: { bearer: 7 } }], 1009, /\[0\]\.config\.bearer must be of type string/],
      [
        [
          { name: 'a', type: 'www', config: { bearer: 't' } },
          { name: 'a', type: 'www', config: { bearer: 'u' } },
        ],
        1009,
        /\[1\]\.name: "a" appears more than once/,
      ],
      [
        [{ name: 'a', type: 'www', config: { bearer: 't' }, priority: 1 }],
        1010,
        /^\[0\]\.priority is not an accepted parameter/,
      ],
      [[{ name: 'a', type: 'www', config: { token: 't' } }], 1010, /\[0\]\.config\.token/],
      [{ name: 'a', type: 'www', config: { bearer: 't' } }, 1009, /must be of type array/],
    ];
    for (const [body, code, details] of cases) assertError(await upsert(body), 400, code, details);
    assert.deepEqual(await list(), before);
  });

  it('providers are not application settings: resetting those keeps them', async () => {
    const provider = { name: 'kept', type: 'www', config: { bearer: 'k' } };
    assert.equal((await upsert([provider])).status, 200);
    assert.equal((await t.request({ method: 'DELETE', url: URL_APP, token: admin })).status, 200);
    assert.ok((await list()).some((p: { name: string }) => p.name === 'kept'));
  });
});

describe('settings shared by nodes on one database', () => {
  let a: TestNode;
  let b: TestNode;
  let adminA: string;
  const suite = suiteScope();
  before(async () => {
    ({ t: a, admin: adminA } = await startAdminNode(suite));
    const patched = await a.request({
      method: 'PATCH',
      url: URL_APP,
      token: adminA,
      body: { callback_persist: false },
    });
    assert.equal(patched.status, 200, patched.text);
    // B starts after the change, and re-reads the row every 50 ms instead of 2000 to keep the test short.
    b = await startTestNode(suite, { shareDatabaseOf: a, env: { WA_SETTINGS_REFRESH_MS: '50' } });
  });

  it('a node loads the stored settings at start-up', () => {
    assert.equal(b.node.settings.current().callback_persist, false);
  });

  it('a PATCH on one node takes effect on the other without a restart, and listeners hear of it', async () => {
    const heard: string[] = [];
    const unsubscribe = b.node.settings.onChange((next, previous) =>
      heard.push(`${previous.webhooks.url} -> ${next.webhooks.url}`),
    );
    const patched = await a.request({
      method: 'PATCH',
      url: URL_APP,
      token: adminA,
      body: { webhooks: { url: 'https://example.com/shared', secret: SECRET } },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(
      a.node.settings.current().webhooks.url,
      'https://example.com/shared',
      'at once on the node that wrote',
    );
    const seen = await eventually(async () =>
      b.node.settings.current().webhooks.url === 'https://example.com/shared' ? b.node.settings.current() : undefined,
    );
    assert.equal(seen.webhooks.secret, SECRET);
    assert.deepEqual(heard, ['null -> https://example.com/shared']);
    unsubscribe();

    assert.equal((await a.request({ method: 'DELETE', url: URL_APP, token: adminA })).status, 200);
    await eventually(async () => (b.node.settings.current().webhooks.url === null ? true : undefined));
    assert.equal(b.node.settings.current().callback_persist, true, 'the reset reached B');
    assert.equal(heard.length, 1, 'an unsubscribed listener hears nothing more');
  });

  it('GET on the other node shows a change at once, not after its next refresh', async () => {
    b.node.settings.stop();
    try {
      assert.equal(
        (await a.request({ method: 'PATCH', url: URL_APP, token: adminA, body: { log_level: 'warn' } })).status,
        200,
      );
      const response = await b.request({ url: URL_APP, token: await b.adminToken() });
      assert.equal(response.body.settings.application.log_level, 'warn');
      assert.equal(b.node.settings.current().log_level, 'warn');
    } finally {
      b.node.settings.start();
    }
  });

  it('PATCHes of different fields on two nodes at once both land', async () => {
    const adminB = await b.adminToken();
    for (let round = 0; round < 5; round++) {
      const [first, second] = await Promise.all([
        a.request({ method: 'PATCH', url: URL_APP, token: adminA, body: { heartbeat_interval: 10 + round } }),
        b.request({ method: 'PATCH', url: URL_APP, token: adminB, body: { unhealthy_interval: 40 + round } }),
      ]);
      assert.equal(first.status, 200, first.text);
      assert.equal(second.status, 200, second.text);
      await a.node.settings.refresh();
      assert.equal(a.node.settings.current().heartbeat_interval, 10 + round);
      assert.equal(a.node.settings.current().unhealthy_interval, 40 + round);
    }
  });

  it('media providers written on one node are listed by the other', async () => {
    const provider = { name: 'shared', type: 'www', config: { bearer: 's' } };
    assert.equal(
      (await a.request({ method: 'POST', url: URL_PROVIDERS, token: adminA, body: [provider] })).status,
      200,
    );
    const listed = await b.request({ url: URL_PROVIDERS, token: await b.adminToken() });
    assert.deepEqual(listed.body.settings.application.media.providers, [provider]);
  });
});
