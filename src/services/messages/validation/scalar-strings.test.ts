// Numbers and booleans written as strings in message bodies (src/lib/scalar-strings.ts): read as the value they
// hold wherever the old API takes a number or boolean, so the stored message and the Cloud send carry the JSON type.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { itAccepts, itRejects, message, TO } from './test-table.js';

const template = (components: unknown[]) =>
  message('template', { namespace: 'ns', name: 'n', language: { code: 'en' }, components });
const body = (parameter: unknown) => [{ type: 'body', parameters: [parameter] }];
const hsm = (param: unknown) =>
  message('hsm', { namespace: 'ns', element_name: 'e', language: { code: 'en' }, localizable_params: [param] });
type Content = Record<string, any>;

describe('message fields written as strings: accepted as the number or boolean they hold', () => {
  itAccepts([
    {
      name: 'a location with latitude "37.48" and longitude "-122.14"',
      body: message('location', { latitude: '37.48', longitude: '-122.14', name: 'HQ' }),
      expect: (m) => assert.deepEqual(m.content, { latitude: 37.48, longitude: -122.14, name: 'HQ' }),
    },
    {
      name: 'preview_url "true"',
      body: { to: TO, preview_url: 'true', text: { body: 'https://example.com' } },
      expect: (m) => assert.equal(m.previewUrl, true),
    },
    {
      name: 'preview_url "false"',
      body: { to: TO, preview_url: 'false', text: { body: 'x' } },
      expect: (m) => assert.equal(m.previewUrl, false),
    },
    {
      name: 'a template currency with amount_1000 "100990"',
      body: template(
        body({ type: 'currency', currency: { fallback_value: '$100.99', code: 'USD', amount_1000: '100990' } }),
      ),
      expect: (m) => assert.equal((m.content as Content).components[0].parameters[0].currency.amount_1000, 100990),
    },
    {
      name: 'a template date_time with timestamp "1485470276"',
      body: template(body({ type: 'date_time', date_time: { fallback_value: 'then', timestamp: '1485470276' } })),
      expect: (m) => assert.equal((m.content as Content).components[0].parameters[0].date_time.timestamp, 1485470276),
    },
    {
      name: 'an hsm currency amount_1000 and unix_epoch timestamp as strings',
      body: hsm({ default: '$1', currency: { currency_code: 'USD', amount_1000: '1000' } }),
      expect: (m) => assert.equal((m.content as Content).localizable_params[0].currency.amount_1000, 1000),
    },
  ]);
});

describe('message fields written as strings: refused unless exactly a number or boolean', () => {
  itRejects([
    {
      name: 'latitude "37,48"',
      body: message('location', { latitude: '37,48', longitude: 1 }),
      code: 1009,
      details: /^location\.latitude must be of type number$/,
    },
    {
      name: 'latitude " 37.48"',
      body: message('location', { latitude: ' 37.48', longitude: 1 }),
      code: 1009,
      details: /^location\.latitude must be of type number$/,
    },
    {
      name: 'latitude ""',
      body: message('location', { latitude: '', longitude: 1 }),
      code: 1009,
      details: /^location\.latitude must be of type number$/,
    },
    {
      name: 'latitude "91" (the range applies to the number)',
      body: message('location', { latitude: '91', longitude: 1 }),
      code: 1009,
      details: /^location\.latitude must be a number from -90 to 90$/,
    },
    {
      name: 'preview_url "yes"',
      body: { to: TO, preview_url: 'yes', text: { body: 'x' } },
      code: 1009,
      details: /^preview_url must be of type boolean$/,
    },
    {
      name: 'preview_url "1"',
      body: { to: TO, preview_url: '1', text: { body: 'x' } },
      code: 1009,
      details: /^preview_url must be of type boolean$/,
    },
    {
      name: 'amount_1000 "100.99" (an integer field)',
      body: template(
        body({ type: 'currency', currency: { fallback_value: '$1', code: 'USD', amount_1000: '100.99' } }),
      ),
      code: 1009,
      details: /amount_1000 must be of type integer$/,
    },
  ]);
});
