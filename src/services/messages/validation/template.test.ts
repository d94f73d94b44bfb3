// Template messages (docs/api/messages.md#templates) and legacy hsm messages (docs/api/messages.md#legacy-hsm).
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { itAccepts, itRejects, message } from './test-table.js';

type Json = Record<string, unknown>;

// The old API documentation's template example, verbatim.
const referenceTemplate = {
  to: 'recipient_wa_id',
  type: 'template',
  template: {
    namespace: 'waba_namespace',
    name: 'revive_issue',
    language: { policy: 'deterministic', code: 'en_US' },
    components: [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://...' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Chef' },
          { type: 'currency', currency: { fallback_value: '$100.99', code: 'USD', amount_1000: 100990 } },
          {
            type: 'date_time',
            date_time: {
              fallback_value: 'February 25, 1977',
              day_of_week: 5,
              day_of_month: 25,
              year: 1977,
              month: 2,
              hour: 15,
              minute: 33,
            },
          },
          { type: 'date_time', date_time: { fallback_value: 'February 25, 1977', timestamp: 1485470276 } },
        ],
      },
      { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: '...' }] },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'url-suffix' }] },
    ],
  },
};

// The old API documentation's hsm example, verbatim (the elided date_time fallbacks filled in).
const referenceHsm = {
  to: '16315551234',
  type: 'hsm',
  hsm: {
    namespace: 'business_a_namespace',
    element_name: 'hello_world',
    language: { policy: 'deterministic', code: 'en' },
    localizable_params: [
      { default: '1234' },
      { default: '$100.99', currency: { currency_code: 'USD', amount_1000: 100990 } },
      {
        default: 'February 25, 1977',
        date_time: { component: { day_of_week: 5, year: 1977, month: 2, day_of_month: 25, hour: 15, minute: 33 } },
      },
      { default: 'November 29, 1973', date_time: { unix_epoch: { timestamp: 123456789 } } },
    ],
  },
};

const base = { namespace: 'ns', name: 'order_update', language: { code: 'en' } };
const template = (fields: Json) => message('template', { ...base, ...fields });
const components = (...list: Json[]) => template({ components: list });
const body = (...parameters: Json[]) => ({ type: 'body', parameters });
const header = (...parameters: Json[]) => ({ type: 'header', parameters });
const quickReply = (index: unknown, ...parameters: Json[]) => ({
  type: 'button',
  sub_type: 'quick_reply',
  index,
  parameters,
});
const urlButton = (index: unknown, ...parameters: Json[]) => ({ type: 'button', sub_type: 'url', index, parameters });
const textParam = (text: unknown) => ({ type: 'text', text });
const payload = { type: 'payload', payload: 'YES' };
const dateTime = (fields: Json) => ({ type: 'date_time', date_time: { fallback_value: 'today', ...fields } });
const currency = (fields: Json) => ({
  type: 'currency',
  currency: { fallback_value: '$1', code: 'USD', amount_1000: 1000, ...fields },
});
const hsm = (fields: Json) =>
  message('hsm', { namespace: 'ns', element_name: 'hello', language: { code: 'en' }, ...fields });

describe('template messages: accepted', () => {
  itAccepts([
    {
      name: 'the reference template, with the counts the registry checks',
      body: referenceTemplate,
      expect: (m) => {
        assert.deepEqual(m.template, {
          namespace: 'waba_namespace',
          name: 'revive_issue',
          languageCode: 'en_US',
          languagePolicy: 'deterministic',
          parameters: {
            header: 1,
            body: 4,
            buttons: [
              { index: 0, subType: 'quick_reply', count: 1 },
              { index: 1, subType: 'url', count: 1 },
            ],
          },
        });
        assert.deepEqual(m.mediaIds, []);
      },
    },
    {
      name: 'a template without components (no variables), policy defaulting to deterministic',
      body: template({}),
      expect: (m) =>
        assert.deepEqual(m.template, {
          namespace: 'ns',
          name: 'order_update',
          languageCode: 'en',
          languagePolicy: 'deterministic',
          parameters: { header: 0, body: 0, buttons: [] },
        }),
    },
    {
      name: 'language policy fallback',
      body: template({ language: { policy: 'fallback', code: 'en' } }),
      expect: (m) => assert.equal(m.template?.languagePolicy, 'fallback'),
    },
    { name: 'a body with no parameters', body: components(body()) },
    {
      name: 'media header parameters by id',
      body: components(header({ type: 'document', document: { id: 'doc-1', filename: 'invoice.pdf' } })),
      expect: (m) => assert.deepEqual(m.mediaIds, ['doc-1']),
    },
    {
      name: 'a video header by id',
      body: components(header({ type: 'video', video: { id: 'vid-1' } })),
      expect: (m) => assert.deepEqual(m.mediaIds, ['vid-1']),
    },
    { name: 'a text header parameter', body: components(header(textParam('Hi'))) },
    {
      name: 'button indexes as integers, and up to 9',
      body: components(quickReply(0, payload), quickReply(9, payload)),
      expect: (m) =>
        assert.deepEqual(
          m.template?.parameters.buttons.map((b) => b.index),
          [0, 9],
        ),
    },
    {
      name: 'date parts as strings',
      body: components(
        body(
          dateTime({
            day_of_week: '5',
            day_of_month: '25',
            year: '1977',
            month: '02',
            hour: '15',
            minute: '33',
            calendar: 'GREGORIAN',
          }),
        ),
      ),
    },
    { name: 'a date_time with only its fallback value', body: components(body(dateTime({}))) },
    { name: 'a negative currency amount', body: components(body(currency({ amount_1000: -5000 }))) },
    {
      name: 'a ttl',
      body: message('template', base, { ttl: 'P1D' }),
      expect: (m) => assert.equal(m.ttlSeconds, 86_400),
    },
  ]);
});

describe("template messages: Meta's collection shapes, normalised to the reference's", () => {
  const contentOf = (m: { content: unknown }) => (m.content as Json).components;
  itAccepts([
    {
      name: 'parameters given as one object',
      body: components(
        { type: 'body', parameters: textParam('Kerry') },
        { type: 'button', sub_type: 'quick_reply', index: 0, parameters: payload },
      ),
      expect: (m) => {
        assert.deepEqual(contentOf(m), [body(textParam('Kerry')), quickReply(0, payload)]);
        assert.deepEqual(m.template?.parameters, {
          header: 0,
          body: 1,
          buttons: [{ index: 0, subType: 'quick_reply', count: 1 }],
        });
      },
    },
    ...(['image', 'video', 'document'] as const).map((kind) => ({
      name: `a ${kind} header with link beside type`,
      body: components(header({ type: kind, link: `https://example.com/a.${kind}` })),
      expect: (m: { content: unknown }) =>
        assert.deepEqual(contentOf(m), [header({ type: kind, [kind]: { link: `https://example.com/a.${kind}` } })]),
    })),
    {
      name: 'a document header with id, filename and caption beside type, parameters as one object',
      body: components({
        type: 'header',
        parameters: { type: 'document', id: 'media-1', filename: 'a.pdf', caption: 'c' },
      }),
      expect: (m) => {
        assert.deepEqual(contentOf(m), [
          header({ type: 'document', document: { id: 'media-1', filename: 'a.pdf', caption: 'c' } }),
        ]);
        assert.deepEqual(m.mediaIds, ['media-1']);
      },
    },
  ]);
  itRejects([
    {
      name: 'link beside type and inside image',
      body: components(header({ type: 'image', link: 'https://x.example/a', image: { link: 'https://x.example/b' } })),
      code: 1010,
      details: /^template\.components\[0\]\.parameters\[0\]\.link is not an accepted parameter$/,
    },
    {
      name: 'a media type with nothing to nest',
      body: components(header({ type: 'image' })),
      code: 1008,
      details: /^missing required parameter template\.components\[0\]\.parameters\[0\]\.image$/,
    },
    {
      name: 'a bad link beside type (checked once nested)',
      body: components(header({ type: 'video', link: 'ftp://x' })),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.video\.link must be an http or https URL$/,
    },
    {
      name: 'parameters as a string',
      body: components({ type: 'body', parameters: 'Kerry' }),
      code: 1009,
      details: /^template\.components\[0\]\.parameters must be of type array$/,
    },
  ]);
});

describe('template messages: refused', () => {
  itRejects([
    {
      name: 'no namespace',
      body: message('template', { name: 'x', language: { code: 'en' } }),
      code: 2014,
      details: /^missing required parameter template\.namespace: a template is named by the namespace/,
    },
    {
      name: 'an empty namespace',
      body: template({ namespace: '' }),
      code: 2014,
      details: /^template\.namespace is empty/,
    },
    {
      name: 'a blank namespace',
      body: template({ namespace: '  ' }),
      code: 2014,
      details: /^template\.namespace is empty/,
    },
    {
      name: 'a namespace that is a number',
      body: template({ namespace: 7 }),
      code: 1009,
      details: /^template\.namespace must be of type string$/,
    },
    {
      name: 'no name',
      body: message('template', { namespace: 'ns', language: { code: 'en' } }),
      code: 1008,
      details: /^missing required parameter template\.name$/,
    },
    {
      name: 'a name over 512',
      body: template({ name: 'n'.repeat(513) }),
      code: 1009,
      details: /^template\.name must be at most 512 characters long$/,
    },
    {
      name: 'no language',
      body: message('template', { namespace: 'ns', name: 'x' }),
      code: 1008,
      details: /^missing required parameter template\.language$/,
    },
    {
      name: 'no language code',
      body: template({ language: { policy: 'deterministic' } }),
      code: 1008,
      details: /^missing required parameter template\.language\.code$/,
    },
    {
      name: 'an unknown language policy',
      body: template({ language: { policy: 'best', code: 'en' } }),
      code: 1009,
      details: /^template\.language\.policy must be one of "deterministic", "fallback"$/,
    },
    {
      name: 'a language as a string',
      body: template({ language: 'en' }),
      code: 1009,
      details: /^template\.language must be of type object$/,
    },
    {
      name: 'an unknown field',
      body: template({ element_name: 'x' }),
      code: 1010,
      details: /^template\.element_name is not an accepted parameter$/,
    },
    {
      name: 'components as an object',
      body: template({ components: body() }),
      code: 1009,
      details: /^template\.components must be of type array$/,
    },
    {
      name: 'a footer component',
      body: components({ type: 'footer', parameters: [] }),
      code: 1009,
      details: /^template\.components\[0\]\.type must be one of "header", "body", "button"$/,
    },
    {
      name: 'a component without type',
      body: components({ parameters: [] }),
      code: 1008,
      details: /^missing required parameter template\.components\[0\]\.type$/,
    },
    {
      name: 'a body without parameters',
      body: components({ type: 'body' }),
      code: 1008,
      details: /^missing required parameter template\.components\[0\]\.parameters$/,
    },
    {
      name: 'two bodies',
      body: components(body(textParam('a')), body(textParam('b'))),
      code: 1009,
      details: /^template\.components\[1\] must not repeat components\[0\]/,
    },
    {
      name: 'two buttons with one index ("0" and 0)',
      body: components(quickReply('0', payload), urlButton(0, textParam('x'))),
      code: 1009,
      details: /^template\.components\[1\] must not repeat components\[0\]/,
    },
    {
      name: 'more than 12 components',
      body: template({
        components: [header(), body(), ...Array.from({ length: 11 }, (_, i) => quickReply(i, payload))],
      }),
      code: 1009,
      details: /^template\.components must have at most 12 items$/,
    },
    {
      name: 'a button without sub_type',
      body: components({ type: 'button', index: 0, parameters: [payload] }),
      code: 1008,
      details: /^missing required parameter template\.components\[0\]\.sub_type$/,
    },
    {
      name: 'an unknown button sub_type',
      body: components({ type: 'button', sub_type: 'call', index: 0, parameters: [payload] }),
      code: 1009,
      details: /^template\.components\[0\]\.sub_type must be one of "quick_reply", "url"$/,
    },
    {
      name: 'a button without index',
      body: components({ type: 'button', sub_type: 'quick_reply', parameters: [payload] }),
      code: 1008,
      details: /^missing required parameter template\.components\[0\]\.index$/,
    },
    {
      name: 'a button index of 10',
      body: components(quickReply(10, payload)),
      code: 1009,
      details:
        /^template\.components\[0\]\.index must be a button index from 0 to 9, as a number or a string of digits$/,
    },
    {
      name: 'a button index of "10"',
      body: components(quickReply('10', payload)),
      code: 1009,
      details: /^template\.components\[0\]\.index must be a button index from 0 to 9/,
    },
    {
      name: 'a negative button index',
      body: components(quickReply(-1, payload)),
      code: 1009,
      details: /^template\.components\[0\]\.index must be a button index/,
    },
    {
      name: 'a button index of 1.5',
      body: components(quickReply(1.5, payload)),
      code: 1009,
      details: /^template\.components\[0\]\.index must be a button index/,
    },
    {
      name: 'a button index "first"',
      body: components(quickReply('first', payload)),
      code: 1009,
      details: /^template\.components\[0\]\.index must be a button index/,
    },
    {
      name: 'a button without parameters',
      body: components(quickReply(0)),
      code: 1009,
      details: /^template\.components\[0\]\.parameters must have at least 1 item$/,
    },
    {
      name: 'a text parameter on a quick reply',
      body: components(quickReply(0, textParam('x'))),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.type must be one of "payload"$/,
    },
    {
      name: 'a payload on a url button',
      body: components(urlButton(0, payload)),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.type must be one of "text"$/,
    },
    {
      name: 'a payload in the body',
      body: components(body(payload)),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.type must be one of "text", "currency", "date_time"$/,
    },
    {
      name: 'an image in the body',
      body: components(body({ type: 'image', image: { id: 'i' } })),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.type must be one of "text", "currency", "date_time"$/,
    },
    {
      name: 'an unknown parameter type',
      body: components(header({ type: 'location', location: {} })),
      code: 1009,
      details:
        /^template\.components\[0\]\.parameters\[0\]\.type must be one of "text", "currency", "date_time", "image", "document", "video"$/,
    },
    {
      name: 'a parameter without type',
      body: components(body({ text: 'x' })),
      code: 1008,
      details: /^missing required parameter template\.components\[0\]\.parameters\[0\]\.type$/,
    },
    {
      name: 'a text parameter without text',
      body: components(body({ type: 'text' })),
      code: 1008,
      details: /^missing required parameter template\.components\[0\]\.parameters\[0\]\.text$/,
    },
    {
      name: 'an empty text parameter',
      body: components(body(textParam(''))),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.text must not be empty or blank$/,
    },
    {
      name: 'a text parameter that is a number',
      body: components(body(textParam(5))),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.text must be of type string$/,
    },
    {
      name: 'a text parameter with a field of another type',
      body: components(body({ type: 'text', text: 'x', payload: 'y' })),
      code: 1010,
      details: /^template\.components\[0\]\.parameters\[0\]\.payload is not an accepted parameter$/,
    },
    {
      name: 'a currency code in lower case',
      body: components(body(currency({ code: 'usd' }))),
      code: 1009,
      details:
        /^template\.components\[0\]\.parameters\[0\]\.currency\.code must be a three-letter ISO 4217 currency code/,
    },
    {
      name: 'a currency amount that is not whole',
      body: components(body(currency({ amount_1000: 1.5 }))),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.currency\.amount_1000 must be of type integer$/,
    },
    {
      name: 'a currency without fallback_value',
      body: components(body({ type: 'currency', currency: { code: 'USD', amount_1000: 1 } })),
      code: 1008,
      details: /^missing required parameter template\.components\[0\]\.parameters\[0\]\.currency\.fallback_value$/,
    },
    {
      name: 'a date_time without fallback_value',
      body: components(body({ type: 'date_time', date_time: { timestamp: 1 } })),
      code: 1008,
      details: /^missing required parameter template\.components\[0\]\.parameters\[0\]\.date_time\.fallback_value$/,
    },
    {
      name: 'a date_time with a timestamp and date parts',
      body: components(body(dateTime({ timestamp: 1485470276, year: 1977 }))),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.date_time must have either timestamp or date parts/,
    },
    {
      name: 'a day_of_week of 8',
      body: components(body(dateTime({ day_of_week: 8 }))),
      code: 1009,
      details:
        /^template\.components\[0\]\.parameters\[0\]\.date_time\.day_of_week must be a day of the week from 1 \(Monday\) to 7 \(Sunday\)/,
    },
    {
      name: 'a month "13"',
      body: components(body(dateTime({ month: '13' }))),
      code: 1009,
      details: /\.date_time\.month must be a month from 1 to 12/,
    },
    {
      name: 'an hour of 24',
      body: components(body(dateTime({ hour: 24 }))),
      code: 1009,
      details: /\.date_time\.hour must be an hour from 0 to 23/,
    },
    {
      name: 'a calendar not in the list',
      body: components(body(dateTime({ calendar: 'JULIAN' }))),
      code: 1009,
      details: /\.date_time\.calendar must be one of "GREGORIAN", "SOLAR_HIJRI"$/,
    },
    {
      name: 'a timestamp that is a string but not a number',
      body: components(body(dateTime({ timestamp: '2017-01-26' }))),
      code: 1009,
      details: /\.date_time\.timestamp must be of type integer$/,
    },
    {
      name: 'a media parameter with both id and link',
      body: components(header({ type: 'image', image: { id: 'i', link: 'https://x.y/a.png' } })),
      code: 1009,
      details: /^template\.components\[0\]\.parameters\[0\]\.image must have either id or link, not both$/,
    },
    {
      name: 'a media parameter with neither',
      body: components(header({ type: 'video', video: {} })),
      code: 1008,
      details:
        /^missing required parameter template\.components\[0\]\.parameters\[0\]\.video\.id or template\.components\[0\]\.parameters\[0\]\.video\.link$/,
    },
    {
      name: 'a media parameter link that is not http(s)',
      body: components(header({ type: 'image', image: { link: 'data:image/png;base64,AAAA' } })),
      code: 1009,
      details: /\.parameters\[0\]\.image\.link must be an http or https URL$/,
    },
  ]);
});

describe('hsm messages: accepted', () => {
  itAccepts([
    {
      name: 'the reference hsm, every parameter counted as body',
      body: referenceHsm,
      expect: (m) =>
        assert.deepEqual(m.template, {
          namespace: 'business_a_namespace',
          name: 'hello_world',
          languageCode: 'en',
          languagePolicy: 'deterministic',
          parameters: { header: 0, body: 4, buttons: [] },
        }),
    },
    {
      name: 'an hsm without localizable_params',
      body: hsm({}),
      expect: (m) => assert.equal(m.template?.parameters.body, 0),
    },
    {
      name: 'language policy fallback (the hsm era default)',
      body: hsm({ language: { policy: 'fallback', code: 'en_US' } }),
      expect: (m) => assert.equal(m.template?.languagePolicy, 'fallback'),
    },
  ]);
});

describe('hsm messages: refused', () => {
  itRejects([
    {
      name: 'no namespace',
      body: message('hsm', { element_name: 'x', language: { code: 'en' } }),
      code: 2014,
      details: /^missing required parameter hsm\.namespace/,
    },
    { name: 'an empty namespace', body: hsm({ namespace: '' }), code: 2014, details: /^hsm\.namespace is empty/ },
    {
      name: 'no element_name',
      body: message('hsm', { namespace: 'ns', language: { code: 'en' } }),
      code: 1008,
      details: /^missing required parameter hsm\.element_name$/,
    },
    {
      name: 'name instead of element_name',
      body: hsm({ name: 'x' }),
      code: 1010,
      details: /^hsm\.name is not an accepted parameter$/,
    },
    {
      name: 'components (a template field)',
      body: hsm({ components: [] }),
      code: 1010,
      details: /^hsm\.components is not an accepted parameter$/,
    },
    {
      name: 'no language code',
      body: hsm({ language: { policy: 'deterministic' } }),
      code: 1008,
      details: /^missing required parameter hsm\.language\.code$/,
    },
    {
      name: 'a parameter without default',
      body: hsm({ localizable_params: [{ currency: { currency_code: 'USD', amount_1000: 1 } }] }),
      code: 1008,
      details: /^missing required parameter hsm\.localizable_params\[0\]\.default$/,
    },
    {
      name: 'a parameter that is a string',
      body: hsm({ localizable_params: ['1234'] }),
      code: 1009,
      details: /^hsm\.localizable_params\[0\] must be of type object$/,
    },
    {
      name: 'a currency and a date_time on one parameter',
      body: hsm({
        localizable_params: [
          {
            default: 'x',
            currency: { currency_code: 'USD', amount_1000: 1 },
            date_time: { unix_epoch: { timestamp: 1 } },
          },
        ],
      }),
      code: 1009,
      details: /^hsm\.localizable_params\[0\] must have either currency or date_time, not both$/,
    },
    {
      name: 'a currency_code of two letters',
      body: hsm({ localizable_params: [{ default: 'x', currency: { currency_code: 'US', amount_1000: 1 } }] }),
      code: 1009,
      details: /^hsm\.localizable_params\[0\]\.currency\.currency_code must be a three-letter/,
    },
    {
      name: 'a currency with code (the template name)',
      body: hsm({ localizable_params: [{ default: 'x', currency: { code: 'USD', amount_1000: 1 } }] }),
      code: 1008,
      details: /^missing required parameter hsm\.localizable_params\[0\]\.currency\.currency_code$/,
    },
    {
      name: 'a date_time with neither component nor unix_epoch',
      body: hsm({ localizable_params: [{ default: 'x', date_time: {} }] }),
      code: 1008,
      details:
        /^missing required parameter hsm\.localizable_params\[0\]\.date_time\.component or hsm\.localizable_params\[0\]\.date_time\.unix_epoch$/,
    },
    {
      name: 'a date_time with both',
      body: hsm({
        localizable_params: [{ default: 'x', date_time: { component: { year: 1977 }, unix_epoch: { timestamp: 1 } } }],
      }),
      code: 1009,
      details: /^hsm\.localizable_params\[0\]\.date_time must have either component or unix_epoch, not both$/,
    },
    {
      name: 'a component month of 0',
      body: hsm({ localizable_params: [{ default: 'x', date_time: { component: { month: 0 } } }] }),
      code: 1009,
      details: /^hsm\.localizable_params\[0\]\.date_time\.component\.month must be a month from 1 to 12/,
    },
    {
      name: 'a unix_epoch without timestamp',
      body: hsm({ localizable_params: [{ default: 'x', date_time: { unix_epoch: {} } }] }),
      code: 1008,
      details: /^missing required parameter hsm\.localizable_params\[0\]\.date_time\.unix_epoch\.timestamp$/,
    },
    {
      name: 'a template-style timestamp in date_time',
      body: hsm({ localizable_params: [{ default: 'x', date_time: { timestamp: 1 } }] }),
      code: 1010,
      details: /^hsm\.localizable_params\[0\]\.date_time\.timestamp is not an accepted parameter$/,
    },
  ]);
});
