// /sandbox/templates (docs/api/sandbox.md#templates) and the check a template or hsm send goes through: the seeded
// examples, create / read / change / delete, validation with its codes, every outcome of the check (codes 2000-2062,
// docs/api/messages.md#template-checks) and the check's cache, on one node and across nodes sharing the database.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SANDBOX_NAMESPACE, type SandboxTemplates, type TemplateSend } from '../../src/modes/sandbox/templates.js';
import { assertError } from '../support/assertions.js';
import { eventually, startAdminNode, startNodePair, suiteScope, type TestNode } from '../support/harness.js';

const EXPERIMENTAL = { api_status: 'experimental', version: 'v2.53.0' };
const BASE = '/sandbox/templates';

type Params = Partial<TemplateSend['parameters']>;

/** A send of `name` with the given parameter counts (none by default), in en_US of the sandbox namespace. */
function send(
  name: string,
  parameters: Params = {},
  overrides: Partial<Omit<TemplateSend, 'parameters'>> = {},
): TemplateSend {
  return {
    namespace: SANDBOX_NAMESPACE,
    name,
    languageCode: 'en_US',
    ...overrides,
    parameters: { header: 0, body: 0, buttons: [], ...parameters },
  };
}

function templatesOf(t: TestNode): SandboxTemplates {
  assert.ok(t.node.sandboxTemplates, 'the sandbox gateway has a template registry');
  return t.node.sandboxTemplates;
}

describe('sandbox templates', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  const keyUrl = (name: string, language = 'en_US', namespace = SANDBOX_NAMESPACE) =>
    `${BASE}/${namespace}/${name}/${language}`;
  const create = (body: unknown, token = admin) => t.request({ method: 'POST', url: BASE, token, body });
  const patch = (url: string, body: unknown) => t.request({ method: 'PATCH', url, token: admin, body });
  const check = (s: TemplateSend) => templatesOf(t).check(s);
  /** A valid create body with its components replaced or extended. */
  const withComponents = (name: string, components: Record<string, unknown>) => ({
    name,
    language: 'en_US',
    category: 'UTILITY',
    components: { body: { text: 'Hello' }, ...components },
  });

  describe('the seed', () => {
    it('lists the seeded examples, approved, in the sandbox namespace, in key order', async () => {
      const response = await t.request({ url: BASE, token: admin });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.meta, EXPERIMENTAL);
      const seeded = response.body.templates.filter(
        (tpl: { namespace: string }) => tpl.namespace === SANDBOX_NAMESPACE,
      );
      assert.deepEqual(
        seeded.map((tpl: any) => [tpl.name, tpl.language, tpl.category, tpl.status]),
        [
          ['hello_world', 'en_US', 'UTILITY', 'approved'],
          ['order_update', 'en_US', 'UTILITY', 'approved'],
          ['order_update', 'pt_BR', 'UTILITY', 'approved'],
          ['otp_code', 'en_US', 'AUTHENTICATION', 'approved'],
          ['promo_image', 'en_US', 'MARKETING', 'approved'],
        ],
      );
      for (const tpl of seeded) assert.equal(typeof tpl.created_at, 'number');
    });

    it('each seeded example has the components its name promises', async () => {
      const get = async (name: string, language = 'en_US') => {
        const response = await t.request({ url: keyUrl(name, language), token: admin });
        assert.equal(response.status, 200, response.text);
        return response.body.templates[0].components;
      };
      assert.deepEqual((await get('hello_world')).header, { format: 'TEXT', text: 'Hello World' });
      assert.deepEqual(await get('order_update'), {
        body: { text: 'Hi {{1}}, your order {{2}} has shipped and is on its way.' },
        buttons: [{ type: 'URL', text: 'Track order', url: 'https://shop.example.com/orders/{{1}}' }],
      });
      const promo = await get('promo_image');
      assert.deepEqual(
        [promo.header, promo.buttons],
        [{ format: 'IMAGE' }, [{ type: 'QUICK_REPLY', text: 'Stop promotions' }]],
      );
      assert.match((await get('otp_code')).body.text, /^\*\{\{1\}\}\* is your verification code/);
    });

    it('every seeded example can be sent with the parameters it asks for', async () => {
      assert.deepEqual(await check(send('hello_world')), { ok: true, category: 'utility' });
      const url = [{ index: 0, subType: 'url', count: 1 }];
      assert.deepEqual(await check(send('order_update', { body: 2, buttons: url })), { ok: true, category: 'utility' });
      assert.deepEqual(await check(send('order_update', { body: 2, buttons: url }, { languageCode: 'pt_BR' })), {
        ok: true,
        category: 'utility',
      });
      assert.deepEqual(await check(send('promo_image', { header: 1, body: 2 })), { ok: true, category: 'marketing' });
      assert.deepEqual(
        await check(
          send('promo_image', { header: 1, body: 2, buttons: [{ index: 0, subType: 'quick_reply', count: 1 }] }),
        ),
        { ok: true, category: 'marketing' },
      );
      assert.deepEqual(await check(send('otp_code', { body: 1 })), { ok: true, category: 'authentication' });
    });
  });

  describe('create, read, change, delete', () => {
    const fullBody = {
      name: 'appointment_reminder',
      language: 'en',
      category: 'UTILITY',
      components: {
        header: { format: 'TEXT', text: 'Reminder for {{1}}' },
        body: { text: 'Your appointment with {{1}} is on {{2}} at {{3}}. See you {{2}}!' },
        footer: { text: 'Reply to reschedule' },
        buttons: [
          { type: 'QUICK_REPLY', text: 'Confirm' },
          { type: 'QUICK_REPLY', text: 'Cancel' },
          { type: 'URL', text: 'Directions', url: 'https://maps.example.com/place/{{1}}' },
          { type: 'URL', text: 'Website', url: 'https://clinic.example.com' },
          { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+16315550100' },
        ],
      },
    };

    it('POST creates an approved template in the sandbox namespace (201) and GET reads it back', async () => {
      const now = t.clock.now();
      const created = await create(fullBody);
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body.meta, EXPERIMENTAL);
      const expected = {
        namespace: SANDBOX_NAMESPACE,
        ...fullBody,
        status: 'approved',
        created_at: now,
        updated_at: now,
      };
      assert.deepEqual(created.body.templates, [expected]);
      const read = await t.request({ url: keyUrl('appointment_reminder', 'en'), token: admin });
      assert.equal(read.status, 200, read.text);
      assert.deepEqual(read.body, { templates: [expected], meta: EXPERIMENTAL });
      // Repeated placeholders count once: header 1, body 3, the first URL button 1.
      const buttons = [
        { index: 2, subType: 'url', count: 1 },
        { index: 0, subType: 'quick_reply', count: 1 },
      ];
      assert.deepEqual(
        await check(send('appointment_reminder', { header: 1, body: 3, buttons }, { languageCode: 'en' })),
        { ok: true, category: 'utility' },
      );
    });

    it('another namespace and an initial status may be given; the same name in two namespaces is two templates', async () => {
      const body = {
        ...withComponents('hello_world', {}),
        namespace: 'business_a_namespace',
        status: 'paused',
        category: 'MARKETING',
      };
      const created = await create(body);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.templates[0].namespace, 'business_a_namespace');
      assert.equal(created.body.templates[0].status, 'paused');
      const other = await t.request({ url: keyUrl('hello_world', 'en_US', 'business_a_namespace'), token: admin });
      assert.equal(other.body.templates[0].category, 'MARKETING');
      const seeded = await t.request({ url: keyUrl('hello_world'), token: admin });
      assert.equal(seeded.body.templates[0].category, 'UTILITY');
    });

    it('a second POST of the same namespace, name and language is 409 / 1004 and changes nothing', async () => {
      assert.equal((await create(withComponents('dup_check', {}))).status, 201);
      assertError(
        await create({ ...withComponents('dup_check', { body: { text: 'Other' } }), category: 'MARKETING' }),
        409,
        1004,
        /dup_check in language en_US already exists/,
      );
      const read = await t.request({ url: keyUrl('dup_check'), token: admin });
      assert.deepEqual(
        [read.body.templates[0].category, read.body.templates[0].components.body.text],
        ['UTILITY', 'Hello'],
      );
      // Another language of the same name is a new translation.
      assert.equal((await create({ ...withComponents('dup_check', {}), language: 'pt_BR' })).status, 201);
    });

    it('the list filters by name, status, namespace, language and category', async () => {
      await create({ ...withComponents('filter_me', {}), status: 'disabled' });
      await create({ ...withComponents('filter_me', {}), language: 'de' });
      const list = async (query: string) => {
        const response = await t.request({ url: `${BASE}?${query}`, token: admin });
        assert.equal(response.status, 200, response.text);
        return response.body.templates.map((tpl: any) => `${tpl.namespace}/${tpl.name}/${tpl.language}`);
      };
      assert.deepEqual(await list('name=filter_me'), [
        `${SANDBOX_NAMESPACE}/filter_me/de`,
        `${SANDBOX_NAMESPACE}/filter_me/en_US`,
      ]);
      assert.deepEqual(await list('name=filter_me&status=disabled'), [`${SANDBOX_NAMESPACE}/filter_me/en_US`]);
      assert.deepEqual(await list('name=order_update&language=pt_BR'), [`${SANDBOX_NAMESPACE}/order_update/pt_BR`]);
      assert.deepEqual(await list('category=AUTHENTICATION'), [`${SANDBOX_NAMESPACE}/otp_code/en_US`]);
      assert.deepEqual(await list('namespace=nobody_here'), []);
      assert.deepEqual(await list('name=no_such_template'), []);
      assertError(
        await t.request({ url: `${BASE}?status=pending`, token: admin }),
        400,
        1009,
        /query parameter status must be one of/,
      );
      assertError(await t.request({ url: `${BASE}?name=Not-A-Name`, token: admin }), 400, 1009, /query parameter name/);
      assertError(await t.request({ url: `${BASE}?limit=5`, token: admin }), 400, 1010, /limit/);
    });

    it('PATCH changes status, category or the whole components, keeps the rest and stamps updated_at', async () => {
      const url = keyUrl('patch_me');
      const created = (await create(withComponents('patch_me', { footer: { text: 'Thanks' } }))).body.templates[0];
      t.clock.advance(1000);
      const paused = await patch(url, { status: 'paused' });
      assert.equal(paused.status, 200, paused.text);
      assert.deepEqual(paused.body.templates[0], {
        ...created,
        status: 'paused',
        updated_at: created.created_at + 1000,
      });
      const recategorised = (await patch(url, { category: 'MARKETING' })).body.templates[0];
      assert.deepEqual([recategorised.status, recategorised.category], ['paused', 'MARKETING']);
      const components = { body: { text: 'Now {{1}}' }, buttons: [{ type: 'QUICK_REPLY', text: 'OK' }] };
      const replaced = (await patch(url, { components, status: 'approved' })).body.templates[0];
      assert.deepEqual(replaced.components, components, 'components are replaced whole: the footer is gone');
      assert.equal(replaced.status, 'approved');
      const empty = await patch(url, {});
      assert.equal(empty.status, 200, empty.text);
      assert.deepEqual((await t.request({ url, token: admin })).body.templates[0].components, components);
    });

    it('PATCHes of different fields at the same time all hold', async () => {
      const url = keyUrl('patch_race');
      await create(withComponents('patch_race', {}));
      const responses = await Promise.all([
        patch(url, { status: 'disabled' }),
        patch(url, { category: 'AUTHENTICATION' }),
      ]);
      for (const response of responses) assert.equal(response.status, 200, response.text);
      const read = (await t.request({ url, token: admin })).body.templates[0];
      assert.deepEqual([read.status, read.category], ['disabled', 'AUTHENTICATION']);
    });

    it('DELETE removes one translation; an unknown key is 404 / 1006 on GET, PATCH and DELETE', async () => {
      await create(withComponents('delete_me', {}));
      await create({ ...withComponents('delete_me', {}), language: 'fr' });
      const deleted = await t.request({ method: 'DELETE', url: keyUrl('delete_me'), token: admin });
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(deleted.body, { meta: EXPERIMENTAL });
      assertError(
        await t.request({ url: keyUrl('delete_me'), token: admin }),
        404,
        1006,
        /no template delete_me in language en_US/,
      );
      assertError(await t.request({ method: 'DELETE', url: keyUrl('delete_me'), token: admin }), 404, 1006);
      assertError(await patch(keyUrl('delete_me'), { status: 'paused' }), 404, 1006);
      assert.equal(
        (await t.request({ url: keyUrl('delete_me', 'fr'), token: admin })).status,
        200,
        'the other translation stays',
      );
      assertError(await t.request({ url: keyUrl('hello_world', 'en_US', 'elsewhere'), token: admin }), 404, 1006);
      // A key of the wrong shape names no template.
      assertError(await t.request({ url: keyUrl('Hello-World'), token: admin }), 404, 1006);
    });

    it('a 512-character name can be created and addressed; a longer path segment is refused before routing', async () => {
      const name = `n${'a'.repeat(511)}`;
      assert.equal((await create(withComponents(name, {}))).status, 201);
      assert.equal((await t.request({ url: keyUrl(name), token: admin })).status, 200);
      assertError(await t.request({ url: keyUrl(`${name}a`), token: admin }), 400, 1025);
    });
  });

  describe('validation', () => {
    const urlButton = (url: string) => ({ type: 'URL', text: 'Open', url });
    const quickReplies = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: 'QUICK_REPLY', text: `Reply ${i}` }));
    const cases: [string, unknown, number, RegExp][] = [
      [
        'no name',
        { language: 'en_US', category: 'UTILITY', components: { body: { text: 'x' } } },
        1008,
        /missing required parameter name/,
      ],
      ['no components', { name: 'x_1', language: 'en_US', category: 'UTILITY' }, 1008, /components/],
      ['an upper-case name', { ...withComponents('Hello', {}) }, 1009, /^name must match pattern/],
      ['a name with a hyphen', { ...withComponents('hello-world', {}) }, 1009, /^name/],
      [
        'a 513-character name',
        { ...withComponents(`n${'a'.repeat(512)}`, {}) },
        1009,
        /^name must NOT have more than 512/,
      ],
      ['an empty name', { ...withComponents('', {}) }, 1009, /^name/],
      ['a language in words', { ...withComponents('lang_1', {}), language: 'english' }, 1009, /^language/],
      ['a language with a hyphen', { ...withComponents('lang_2', {}), language: 'en-US' }, 1009, /^language/],
      [
        'a lower-case category',
        { ...withComponents('cat_1', {}), category: 'utility' },
        1009,
        /^category must be one of "MARKETING", "UTILITY", "AUTHENTICATION"/,
      ],
      ['an unknown status', { ...withComponents('status_1', {}), status: 'pending' }, 1009, /^status must be one of/],
      ['a namespace with spaces', { ...withComponents('ns_1', {}), namespace: 'my namespace' }, 1009, /^namespace/],
      ['an unknown field', { ...withComponents('extra_1', {}), id: 7 }, 1010, /^id is not an accepted parameter/],
      [
        'no body',
        { name: 'body_0', language: 'en_US', category: 'UTILITY', components: { footer: { text: 'x' } } },
        1008,
        /components\.body/,
      ],
      ['an empty body', withComponents('body_1', { body: { text: '' } }), 1009, /^components\.body\.text/],
      [
        'a body over 1024 characters',
        withComponents('body_2', { body: { text: 'x'.repeat(1025) } }),
        1009,
        /^components\.body\.text must NOT have more than 1024/,
      ],
      [
        'a gap in the placeholders',
        withComponents('body_3', { body: { text: 'Hi {{1}}, {{3}}' } }),
        1009,
        /^components\.body\.text: placeholders must be numbered \{\{1\}\} to \{\{n\}\} without gaps; found \{\{1\}\}, \{\{3\}\}/,
      ],
      [
        'placeholders not starting at 1',
        withComponents('body_4', { body: { text: 'Hi {{2}}' } }),
        1009,
        /without gaps/,
      ],
      [
        'a named placeholder',
        withComponents('body_5', { body: { text: 'Hi {{name}}' } }),
        1009,
        /\{\{name\}\} is not a placeholder/,
      ],
      [
        'a placeholder {{0}}',
        withComponents('body_6', { body: { text: 'Hi {{0}}' } }),
        1009,
        /\{\{0\}\} is not a placeholder/,
      ],
      [
        'an unknown body field',
        withComponents('body_7', { body: { text: 'x', example: 'y' } }),
        1010,
        /components\.body\.example/,
      ],
      [
        'a TEXT header without text',
        withComponents('header_1', { header: { format: 'TEXT' } }),
        1008,
        /components\.header\.text/,
      ],
      [
        'a header over 60 characters',
        withComponents('header_2', { header: { format: 'TEXT', text: 'x'.repeat(61) } }),
        1009,
        /^components\.header\.text must NOT have more than 60/,
      ],
      [
        'two header placeholders',
        withComponents('header_3', { header: { format: 'TEXT', text: '{{1}} and {{2}}' } }),
        1009,
        /at most one placeholder/,
      ],
      [
        'a header placeholder {{2}}',
        withComponents('header_4', { header: { format: 'TEXT', text: 'Hi {{2}}' } }),
        1009,
        /without gaps/,
      ],
      [
        'text on an IMAGE header',
        withComponents('header_5', { header: { format: 'IMAGE', text: 'x' } }),
        1009,
        /only a TEXT header has text/,
      ],
      [
        'an unknown header format',
        withComponents('header_6', { header: { format: 'GIF' } }),
        1009,
        /^components\.header\.format must be one of/,
      ],
      [
        'a header without format',
        withComponents('header_7', { header: { text: 'x' } }),
        1008,
        /components\.header\.format/,
      ],
      [
        'a footer over 60 characters',
        withComponents('footer_1', { footer: { text: 'x'.repeat(61) } }),
        1009,
        /^components\.footer\.text/,
      ],
      [
        'a footer placeholder',
        withComponents('footer_2', { footer: { text: 'Bye {{1}}' } }),
        1009,
        /footer takes no placeholders/,
      ],
      ['4 quick replies', withComponents('buttons_1', { buttons: quickReplies(4) }), 1009, /at most 3 QUICK_REPLY/],
      [
        '3 URL buttons',
        withComponents('buttons_2', { buttons: [1, 2, 3].map((i) => urlButton(`https://e.example/${i}`)) }),
        1009,
        /at most 2 URL/,
      ],
      [
        '2 phone buttons',
        withComponents('buttons_3', {
          buttons: [1, 2].map(() => ({ type: 'PHONE_NUMBER', text: 'Call', phone_number: '+16315550100' })),
        }),
        1009,
        /at most 1 PHONE_NUMBER/,
      ],
      [
        '7 buttons',
        withComponents('buttons_4', { buttons: quickReplies(7) }),
        1009,
        /^components\.buttons must NOT have more than 6 items/,
      ],
      [
        'a URL button without url',
        withComponents('buttons_5', { buttons: [{ type: 'URL', text: 'Open' }] }),
        1008,
        /components\.buttons\[0\]\.url/,
      ],
      [
        'a url that is not http(s)',
        withComponents('buttons_6', { buttons: [urlButton('ftp://e.example/x')] }),
        1009,
        /^components\.buttons\[0\]\.url must match pattern/,
      ],
      [
        'a URL placeholder in the middle',
        withComponents('buttons_7', { buttons: [urlButton('https://e.example/{{1}}/track')] }),
        1009,
        /at its very end/,
      ],
      [
        'a URL placeholder {{2}}',
        withComponents('buttons_8', { buttons: [urlButton('https://e.example/{{2}}')] }),
        1009,
        /at its very end|without gaps|\{\{1\}\}/,
      ],
      [
        'two URL placeholders',
        withComponents('buttons_9', { buttons: [urlButton('https://e.example/{{1}}{{1}}')] }),
        1009,
        /one placeholder at most/,
      ],
      [
        'a phone button without number',
        withComponents('buttons_10', { buttons: [{ type: 'PHONE_NUMBER', text: 'Call' }] }),
        1008,
        /phone_number/,
      ],
      [
        'a phone number in words',
        withComponents('buttons_11', { buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phone_number: 'call me' }] }),
        1009,
        /phone_number must match pattern/,
      ],
      [
        'a url on a quick reply',
        withComponents('buttons_12', { buttons: [{ type: 'QUICK_REPLY', text: 'Go', url: 'https://e.example' }] }),
        1009,
        /only a URL button has a url/,
      ],
      [
        'a phone number on a URL button',
        withComponents('buttons_13', {
          buttons: [{ ...urlButton('https://e.example'), phone_number: '+16315550100' }],
        }),
        1009,
        /only a PHONE_NUMBER button/,
      ],
      [
        'a button text over 25 characters',
        withComponents('buttons_14', { buttons: [{ type: 'QUICK_REPLY', text: 'x'.repeat(26) }] }),
        1009,
        /^components\.buttons\[0\]\.text must NOT have more than 25/,
      ],
      [
        'a placeholder in a button text',
        withComponents('buttons_15', { buttons: [{ type: 'QUICK_REPLY', text: 'Hi {{1}}' }] }),
        1009,
        /button's text takes no placeholders/,
      ],
      [
        'an unknown button type',
        withComponents('buttons_16', { buttons: [{ type: 'COPY_CODE', text: 'Copy' }] }),
        1009,
        /^components\.buttons\[0\]\.type must be one of/,
      ],
      [
        'an unknown button field',
        withComponents('buttons_17', { buttons: [{ type: 'QUICK_REPLY', text: 'Go', payload: 'x' }] }),
        1010,
        /components\.buttons\[0\]\.payload/,
      ],
      [
        'an unknown component',
        withComponents('comp_1', { carousel: {} }),
        1010,
        /components\.carousel is not an accepted parameter/,
      ],
    ];

    for (const [what, body, code, details] of cases) {
      it(`POST with ${what} is 400 / ${code}`, async () => {
        assertError(await create(body), 400, code, details);
      });
    }

    it('nothing refused was stored', async () => {
      const names = cases.map(([, body]) => (body as { name?: string }).name).filter(Boolean);
      const stored = (await t.request({ url: BASE, token: admin })).body.templates.map(
        (tpl: { name: string }) => tpl.name,
      );
      assert.deepEqual(
        stored.filter((name: string) => names.includes(name)),
        [],
      );
    });

    it('PATCH validates the same way, refuses key fields, and stores nothing it refused', async () => {
      const url = keyUrl('hello_world');
      const original = (await t.request({ url, token: admin })).body.templates[0];
      assertError(await patch(url, { name: 'renamed' }), 400, 1010, /^name is not an accepted parameter/);
      assertError(await patch(url, { language: 'fr' }), 400, 1010, /language/);
      assertError(await patch(url, { namespace: 'other' }), 400, 1010, /namespace/);
      assertError(await patch(url, { status: 'pending' }), 400, 1009, /^status must be one of/);
      assertError(await patch(url, { components: { body: { text: 'Hi {{2}}' } } }), 400, 1009, /without gaps/);
      assertError(
        await patch(url, { components: { header: { format: 'TEXT', text: 'x' } } }),
        400,
        1008,
        /components\.body/,
      );
      assertError(await patch(url, ['status']), 400, 1009);
      assert.deepEqual((await t.request({ url, token: admin })).body.templates[0], original);
    });

    it('only admins may use the template controls', async () => {
      const user = await t.userToken();
      assertError(await t.request({ url: BASE, token: user }), 403, 1005);
      assertError(await create(withComponents('by_user', {}), user), 403, 1005);
      assertError(await t.request({ url: keyUrl('hello_world'), token: user }), 403, 1005);
      assertError(await t.request({ url: BASE }), 401, 1005);
    });
  });

  describe('the send check', () => {
    before(async () => {
      for (const body of [
        withComponents('check_text_header', {
          header: { format: 'TEXT', text: 'Order {{1}}' },
          body: { text: 'Hi {{1}}' },
        }),
        withComponents('check_video', { header: { format: 'VIDEO' } }),
        withComponents('check_buttons', {
          buttons: [
            { type: 'QUICK_REPLY', text: 'Yes' },
            { type: 'URL', text: 'Open', url: 'https://e.example/{{1}}' },
            { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+16315550100' },
            { type: 'URL', text: 'Home', url: 'https://e.example' },
          ],
        }),
      ]) {
        const response = await create(body);
        assert.equal(response.status, 201, response.text);
      }
    });

    const failure = async (s: TemplateSend, code: number, details: RegExp) => {
      const result = await check(s);
      assert.equal(result.ok, false, JSON.stringify(result));
      if (result.ok) return;
      assert.equal(result.code, code, result.details);
      assert.match(result.details, details);
    };

    it('an unknown namespace, an unknown name and a missing translation are 2001, saying which', async () => {
      await failure(
        send('hello_world', {}, { namespace: 'no_such_namespace' }),
        2001,
        /^no template hello_world in namespace no_such_namespace: the namespace has no templates$/,
      );
      await failure(
        send('no_such_template'),
        2001,
        new RegExp(`^no template no_such_template in namespace ${SANDBOX_NAMESPACE}$`),
      );
      await failure(
        send('order_update', { body: 2 }, { languageCode: 'fr' }),
        2001,
        /has no translation for language fr; it exists in en_US, pt_BR$/,
      );
      await failure(send('order_update', { body: 2 }, { languageCode: 'en' }), 2001, /no translation for language en;/);
    });

    it('a rejected, paused or disabled template fails with 2060, 2061, 2062; approved again, it sends', async () => {
      const url = keyUrl('otp_code');
      for (const [status, code] of [
        ['rejected', 2060],
        ['paused', 2061],
        ['disabled', 2062],
      ] as const) {
        assert.equal((await patch(url, { status })).status, 200);
        await failure(
          send('otp_code', { body: 1 }),
          code,
          new RegExp(`otp_code in namespace ${SANDBOX_NAMESPACE} \\(en_US\\) is ${status}`),
        );
      }
      assert.equal((await patch(url, { status: 'approved' })).status, 200);
      assert.deepEqual(await check(send('otp_code', { body: 1 })), { ok: true, category: 'authentication' });
    });

    it('the status is checked before the parameters', async () => {
      await create({ ...withComponents('paused_with_params', { body: { text: '{{1}}' } }), status: 'paused' });
      await failure(send('paused_with_params', { body: 5 }), 2061, /is paused/);
    });

    it("a body parameter count other than the template's is 2000, with expected and given", async () => {
      await failure(
        send('order_update', { body: 1, buttons: [{ index: 0, subType: 'url', count: 1 }] }),
        2000,
        /^body: expected 2 parameters, got 1$/,
      );
      await failure(
        send('order_update', { body: 3, buttons: [{ index: 0, subType: 'url', count: 1 }] }),
        2000,
        /^body: expected 2 parameters, got 3$/,
      );
      await failure(send('hello_world', { body: 1 }), 2000, /^body: expected 0 parameters, got 1$/);
      await failure(send('otp_code'), 2000, /^body: expected 1 parameter, got 0$/);
    });

    it('a media header needs its one media parameter: none is 2009, more is 2000', async () => {
      await failure(send('promo_image', { body: 2 }), 2009, /^header: the IMAGE header needs one image parameter$/);
      await failure(send('check_video'), 2009, /VIDEO header needs one video parameter/);
      await failure(send('promo_image', { header: 2, body: 2 }), 2000, /IMAGE header takes one image parameter, got 2/);
      assert.deepEqual(await check(send('check_video', { header: 1 })), { ok: true, category: 'utility' });
    });

    it('a text header takes as many parameters as it has placeholders, and none when there is no header', async () => {
      assert.deepEqual(await check(send('check_text_header', { header: 1, body: 1 })), {
        ok: true,
        category: 'utility',
      });
      await failure(send('check_text_header', { body: 1 }), 2000, /^header: expected 1 parameter, got 0$/);
      await failure(send('hello_world', { header: 1 }), 2000, /^header: expected 0 parameters, got 1$/);
      await failure(
        send('otp_code', { header: 1, body: 1 }),
        2000,
        /^header: the template has no header, got 1 parameter$/,
      );
    });

    it('button parameters must name a button the template has, of its type, with the right count', async () => {
      const ok = { ok: true, category: 'utility' };
      const url1 = { index: 1, subType: 'url', count: 1 };
      assert.deepEqual(await check(send('check_buttons', { buttons: [url1] })), ok);
      assert.deepEqual(
        await check(send('check_buttons', { buttons: [{ index: 0, subType: 'quick_reply', count: 1 }, url1] })),
        ok,
      );
      assert.deepEqual(
        await check(send('check_buttons', { buttons: [{ index: 0, subType: 'quick_reply', count: 0 }, url1] })),
        ok,
      );
      assert.deepEqual(
        await check(send('check_buttons', { buttons: [url1, { index: 3, subType: 'URL', count: 0 }] })),
        ok,
        'sub_type in any case',
      );
      // A URL button with a {{1}} suffix needs its parameter.
      await failure(
        send('check_buttons'),
        2000,
        /^button index 1: the URL button needs 1 parameter \(its URL suffix\), got none$/,
      );
      await failure(
        send('check_buttons', { buttons: [{ index: 1, subType: 'url', count: 0 }] }),
        2000,
        /^button index 1: the URL button takes 1 parameter, got 0$/,
      );
      await failure(
        send('check_buttons', { buttons: [{ index: 1, subType: 'url', count: 2 }] }),
        2000,
        /takes 1 parameter, got 2/,
      );
      await failure(
        send('check_buttons', { buttons: [url1, { index: 3, subType: 'url', count: 1 }] }),
        2000,
        /^button index 3: the URL button takes 0 parameters, got 1$/,
      );
      await failure(
        send('check_buttons', { buttons: [url1, { index: 0, subType: 'quick_reply', count: 2 }] }),
        2000,
        /at most 1 parameter \(its payload\), got 2/,
      );
      // An index with no button is a count mismatch: the template expects no parameters there.
      await failure(
        send('check_buttons', { buttons: [url1, { index: 4, subType: 'quick_reply', count: 1 }] }),
        2000,
        /^button index 4: the template has 4 buttons$/,
      );
      await failure(
        send('otp_code', { body: 1, buttons: [{ index: 0, subType: 'quick_reply', count: 1 }] }),
        2000,
        /^button index 0: the template has 0 buttons$/,
      );
      await failure(send('check_buttons', { buttons: [url1, url1] }), 2000, /^button index 1 is given more than once$/);
      // The wrong sub_type for the button at that index is a format mismatch; a sub_type no template has, unsupported.
      await failure(
        send('check_buttons', { buttons: [{ index: 0, subType: 'url', count: 1 }, url1] }),
        2012,
        /^button index 0 is a QUICK_REPLY button; its sub_type is quick_reply, not url$/,
      );
      await failure(
        send('check_buttons', { buttons: [url1, { index: 2, subType: 'url', count: 1 }] }),
        2012,
        /index 2 is a PHONE_NUMBER button, which takes no parameters/,
      );
      await failure(
        send('check_buttons', { buttons: [url1, { index: 0, subType: 'copy_code', count: 1 }] }),
        2013,
        /sub_type copy_code is not supported/,
      );
    });

    it('the checks run in the order header, body, buttons', async () => {
      await failure(
        send('promo_image', { body: 1, buttons: [{ index: 5, subType: 'url', count: 1 }] }),
        2009,
        /header/,
      );
      await failure(
        send('promo_image', { header: 1, body: 1, buttons: [{ index: 5, subType: 'url', count: 1 }] }),
        2000,
        /^body/,
      );
    });

    it('a stored template that cannot be read fails its sends with 2002 instead of throwing', async () => {
      await create(withComponents('check_broken', {}));
      await t.node.db.db
        .updateTable('sandbox_templates')
        .set({ components: '{not json' })
        .where('name', '=', 'check_broken')
        .execute();
      await failure(send('check_broken'), 2002, /cannot be read/);
    });
  });

  describe('the check cache', () => {
    it('a change through the API applies to the next check at once', async () => {
      await create(withComponents('cache_local', {}));
      assert.deepEqual(await check(send('cache_local')), { ok: true, category: 'utility' });
      await patch(keyUrl('cache_local'), { status: 'disabled' });
      await failure(2062);
      await patch(keyUrl('cache_local'), { status: 'approved', components: { body: { text: '{{1}}' } } });
      await failure(2000);
      await t.request({ method: 'DELETE', url: keyUrl('cache_local'), token: admin });
      await failure(2001);
      await create(withComponents('cache_local', {}));
      assert.deepEqual(
        await check(send('cache_local')),
        { ok: true, category: 'utility' },
        'a cached miss is forgotten too',
      );

      async function failure(code: number) {
        const result = await check(send('cache_local'));
        assert.equal(result.ok ? 'ok' : result.code, code);
      }
    });

    it('many checks of a cold template at once all get the answer', async () => {
      await create(withComponents('cache_burst', { body: { text: '{{1}}' } }));
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => check(send('cache_burst', { body: i % 2 }))),
      );
      assert.equal(results.filter((r) => r.ok).length, 100);
      assert.ok(results.every((r) => r.ok || r.code === 2000));
    });

    it('a checked template is answered from memory until the cache time has passed', async () => {
      await create(withComponents('cache_ttl', {}));
      assert.deepEqual(await check(send('cache_ttl')), { ok: true, category: 'utility' });
      // Removed behind the registry's back, as another node's DELETE would be.
      await t.node.db.db.deleteFrom('sandbox_templates').where('name', '=', 'cache_ttl').execute();
      t.clock.advance(1999);
      assert.deepEqual(
        await check(send('cache_ttl')),
        { ok: true, category: 'utility' },
        'still inside WA_SETTINGS_REFRESH_MS',
      );
      t.clock.advance(2);
      assert.equal((await check(send('cache_ttl'))).ok, false);
    });
  });
});

describe('sandbox templates on nodes sharing a database', () => {
  let a: TestNode;
  let b: TestNode;
  const suite = suiteScope();
  before(async () => ({ a, b } = await startNodePair(suite)));

  it('the seed is written once, and a change made on one node reaches the other when the cluster notice arrives', async () => {
    const list = await b.request({ url: `${BASE}?namespace=${SANDBOX_NAMESPACE}`, token: await b.adminToken() });
    assert.equal(list.body.templates.length, 5, 'the second node found the seed and did not add it again');

    const shared = send('shared_one');
    assert.equal((await templatesOf(b).check(shared)).ok, false, 'B caches the miss');
    const created = await a.request({
      method: 'POST',
      url: BASE,
      token: await a.adminToken(),
      body: { name: 'shared_one', language: 'en_US', category: 'MARKETING', components: { body: { text: 'Sale!' } } },
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(
      await templatesOf(a).check(shared),
      { ok: true, category: 'marketing' },
      'at once on the node that made it',
    );
    // The clock stays put (B's cached miss has 2000 ms to go): the notice makes B forget it.
    await eventually(async () => ((await templatesOf(b).check(shared)).ok ? true : undefined), 3000);
    assert.deepEqual(await templatesOf(b).check(shared), { ok: true, category: 'marketing' });
    // The API always reads the database: B's GET sees the template at once.
    assert.equal(
      (await b.request({ url: `${BASE}/${SANDBOX_NAMESPACE}/shared_one/en_US`, token: await b.adminToken() })).status,
      200,
    );
  });
});
