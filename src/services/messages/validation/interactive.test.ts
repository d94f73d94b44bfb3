// Interactive messages (docs/api/messages.md#interactive): reply buttons, lists, product and multi-product messages.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { itAccepts, itRejects, message, times } from './test-table.js';

type Json = Record<string, unknown>;
const interactive = (payload: Json) => message('interactive', payload);

const row = (id: string) => ({ id, title: `Row ${id}` });
const replies = (...ids: string[]) => ids.map((id) => ({ type: 'reply', reply: { id, title: `B${id}` } }));
const buttons = (fields: Json = {}, action: Json = { buttons: replies('0') }) =>
  interactive({ type: 'button', body: { text: 'Pick one' }, action, ...fields });
const list = (sections: unknown, fields: Json = {}) =>
  interactive({ type: 'list', body: { text: 'Menu' }, action: { button: 'Menu', sections }, ...fields });
const products = (count: number, from = 0) => times(count, (i) => ({ product_retailer_id: `sku-${from + i}` }));
const productList = (sections: unknown, fields: Json = {}) =>
  interactive({
    type: 'product_list',
    header: { type: 'text', text: 'Our picks' },
    body: { text: 'Have a look' },
    action: { catalog_id: 'c1', sections },
    ...fields,
  });
const product = (fields: Json = {}) =>
  interactive({ type: 'product', action: { catalog_id: 'c1', product_retailer_id: 'sku-1' }, ...fields });

describe('interactive messages: accepted', () => {
  itAccepts([
    // The old API documentation's examples, verbatim (only `to` filled in).
    {
      name: 'the reference button message',
      body: {
        to: '16315551234',
        type: 'interactive',
        interactive: {
          type: 'button',
          header: { type: 'text', text: '...' },
          body: { text: '...' },
          footer: { text: '...' },
          action: { buttons: [{ type: 'reply', reply: { id: '0', title: 'BUTTON1' } }] },
        },
      },
    },
    {
      name: 'the reference list message',
      body: {
        to: '16315551234',
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: '...' },
          action: {
            button: 'Menu',
            sections: [{ title: '...', rows: [{ id: '0', title: 'ROW1', description: '...' }] }],
          },
        },
      },
    },
    {
      name: 'three buttons with an image header by id',
      body: buttons({ header: { type: 'image', image: { id: 'media-1' } } }, { buttons: replies('a', 'b', 'c') }),
      expect: (m) => assert.deepEqual(m.mediaIds, ['media-1']),
    },
    {
      name: 'a video header by link',
      body: buttons({ header: { type: 'video', video: { link: 'https://example.com/v.mp4' } } }),
    },
    {
      name: 'a document header with a filename',
      body: buttons({ header: { type: 'document', document: { id: 'd1', filename: 'menu.pdf' } } }),
      expect: (m) => assert.deepEqual(m.mediaIds, ['d1']),
    },
    {
      name: 'limits at their maximum (body 1024, footer 60, header 60, id 256, title 20)',
      body: buttons(
        {
          header: { type: 'text', text: 'h'.repeat(60) },
          body: { text: 'b'.repeat(1024) },
          footer: { text: 'f'.repeat(60) },
        },
        { buttons: [{ type: 'reply', reply: { id: 'i'.repeat(256), title: 't'.repeat(20) } }] },
      ),
    },
    {
      name: 'a list with a text header and one untitled section',
      body: list([{ rows: [row('1')] }], { header: { type: 'text', text: 'Hi' } }),
    },
    {
      name: 'a list of 10 sections and 10 rows in all',
      body: list(times(10, (s) => ({ title: `S${s}`, rows: [row(`r${s}`)] }))),
    },
    { name: 'a list section with 10 rows', body: list([{ title: 'All', rows: times(10, (r) => row(`r${r}`)) }]) },
    {
      name: 'list limits at their maximum (button 20, row id 200, title 24, description 72, section title 24)',
      body: interactive({
        type: 'list',
        body: { text: 'x' },
        action: {
          button: 'b'.repeat(20),
          sections: [
            {
              title: 's'.repeat(24),
              rows: [{ id: 'i'.repeat(200), title: 't'.repeat(24), description: 'd'.repeat(72) }],
            },
          ],
        },
      }),
    },
    { name: 'a product message without body', body: product() },
    {
      name: 'a product message with body and footer',
      body: product({ body: { text: 'This one' }, footer: { text: 'Sale' } }),
    },
    {
      name: 'a multi-product message of 30 products in 10 sections',
      body: productList(times(10, (s) => ({ title: `S${s}`, product_items: products(3, s * 3) }))),
    },
    { name: 'a multi-product message of one untitled section', body: productList([{ product_items: products(30) }]) },
  ]);
});

describe('interactive messages: refused', () => {
  itRejects([
    {
      name: 'no type',
      body: interactive({ body: { text: 'x' }, action: {} }),
      code: 1008,
      details: /^missing required parameter interactive\.type$/,
    },
    {
      name: 'an unknown type',
      body: interactive({ type: 'carousel', body: { text: 'x' } }),
      code: 1009,
      details: /^interactive\.type must be one of "button", "list", "product", "product_list"$/,
    },
    {
      name: 'a button message without body',
      body: interactive({ type: 'button', action: { buttons: replies('0') } }),
      code: 1008,
      details: /^missing required parameter interactive\.body$/,
    },
    {
      name: 'a list without action',
      body: interactive({ type: 'list', body: { text: 'x' } }),
      code: 1008,
      details: /^missing required parameter interactive\.action$/,
    },
    {
      name: 'a body without text',
      body: buttons({ body: {} }),
      code: 1008,
      details: /^missing required parameter interactive\.body\.text$/,
    },
    {
      name: 'a body over 1024',
      body: buttons({ body: { text: 'b'.repeat(1025) } }),
      code: 1009,
      details: /^interactive\.body\.text must be at most 1024 characters long$/,
    },
    {
      name: 'a footer over 60',
      body: buttons({ footer: { text: 'f'.repeat(61) } }),
      code: 1009,
      details: /^interactive\.footer\.text must be at most 60 characters long$/,
    },
    {
      name: 'a text header over 60',
      body: buttons({ header: { type: 'text', text: 'h'.repeat(61) } }),
      code: 1009,
      details: /^interactive\.header\.text must be at most 60 characters long$/,
    },
    {
      name: 'a text header without text',
      body: buttons({ header: { type: 'text' } }),
      code: 1008,
      details: /^missing required parameter interactive\.header\.text$/,
    },
    {
      name: 'an image header without its image',
      body: buttons({ header: { type: 'image', text: 'x' } }),
      code: 1008,
      details: /^missing required parameter interactive\.header\.image$/,
    },
    {
      name: 'an image header with neither id nor link',
      body: buttons({ header: { type: 'image', image: {} } }),
      code: 1008,
      details: /^missing required parameter interactive\.header\.image\.id or interactive\.header\.image\.link$/,
    },
    {
      name: 'an image header with both id and link',
      body: buttons({ header: { type: 'image', image: { id: 'a', link: 'https://x.y/z' } } }),
      code: 1009,
      details: /^interactive\.header\.image must have either id or link, not both$/,
    },
    {
      name: 'an audio header (not a header kind)',
      body: buttons({ header: { type: 'audio', audio: { id: 'a' } } }),
      code: 2036,
      details: /^interactive\.header\.type must be one of "text", "image", "video", "document" in a button message$/,
    },
    {
      name: 'an image header on a list',
      body: list([{ rows: [row('1')] }], { header: { type: 'image', image: { id: 'a' } } }),
      code: 2036,
      details: /^interactive\.header\.type must be "text" in a list message$/,
    },
    {
      name: 'a video header on a multi-product message',
      body: productList([{ product_items: products(1) }], { header: { type: 'video', video: { id: 'v' } } }),
      code: 2036,
      details: /^interactive\.header\.type must be "text" in a product_list message$/,
    },
    {
      name: 'any header on a product message',
      body: product({ header: { type: 'text', text: 'x' } }),
      code: 2036,
      details: /^interactive\.header is not accepted in a product message/,
    },
    {
      name: 'a header without type',
      body: buttons({ header: { text: 'x' } }),
      code: 1008,
      details: /^missing required parameter interactive\.header\.type$/,
    },
    {
      name: 'a header with a field of another kind',
      body: buttons({ header: { type: 'text', text: 'x', image: { id: 'a' } } }),
      code: 1010,
      details: /^interactive\.header\.image is not an accepted parameter$/,
    },
    {
      name: 'no buttons',
      body: buttons({}, { buttons: [] }),
      code: 1009,
      details: /^interactive\.action\.buttons must have 1 to 3 items$/,
    },
    {
      name: 'four buttons',
      body: buttons({}, { buttons: replies('a', 'b', 'c', 'd') }),
      code: 1009,
      details: /^interactive\.action\.buttons must have 1 to 3 items$/,
    },
    {
      name: 'a button title over 20',
      body: buttons({}, { buttons: [{ type: 'reply', reply: { id: 'a', title: 't'.repeat(21) } }] }),
      code: 1009,
      details: /^interactive\.action\.buttons\[0\]\.reply\.title must be at most 20 characters long$/,
    },
    {
      name: 'a button id over 256',
      body: buttons({}, { buttons: [{ type: 'reply', reply: { id: 'i'.repeat(257), title: 't' } }] }),
      code: 1009,
      details: /^interactive\.action\.buttons\[0\]\.reply\.id must be at most 256 characters long$/,
    },
    {
      name: 'a button of type url',
      body: buttons({}, { buttons: [{ type: 'url', reply: { id: 'a', title: 't' } }] }),
      code: 1009,
      details: /^interactive\.action\.buttons\[0\]\.type must be one of "reply"$/,
    },
    {
      name: 'a button without reply',
      body: buttons({}, { buttons: [{ type: 'reply' }] }),
      code: 1008,
      details: /^missing required parameter interactive\.action\.buttons\[0\]\.reply$/,
    },
    {
      name: 'two buttons with one id',
      body: buttons({}, { buttons: replies('a', 'b', 'a') }),
      code: 1009,
      details: /^interactive\.action\.buttons\[2\]\.reply\.id must be unique: "a" is also buttons\[0\]$/,
    },
    {
      name: 'list sections on a button message',
      body: buttons({}, { buttons: replies('a'), sections: [] }),
      code: 1010,
      details: /^interactive\.action\.sections is not an accepted parameter$/,
    },
    {
      name: 'a list without its button',
      body: interactive({ type: 'list', body: { text: 'x' }, action: { sections: [{ rows: [row('1')] }] } }),
      code: 1008,
      details: /^missing required parameter interactive\.action\.button$/,
    },
    {
      name: 'a list button over 20',
      body: interactive({
        type: 'list',
        body: { text: 'x' },
        action: { button: 'b'.repeat(21), sections: [{ rows: [row('1')] }] },
      }),
      code: 1009,
      details: /^interactive\.action\.button must be at most 20 characters long$/,
    },
    {
      name: 'a list of no sections',
      body: list([]),
      code: 2015,
      details: /^interactive\.action\.sections must have 1 to 10 sections$/,
    },
    {
      name: 'a list of 11 sections',
      body: list(times(11, (s) => ({ title: `S${s}`, rows: [row(`r${s}`)] }))),
      code: 2015,
      details: /^interactive\.action\.sections must have 1 to 10 sections$/,
    },
    {
      name: 'a section without rows',
      body: list([
        { title: 'A', rows: [row('1')] },
        { title: 'B', rows: [] },
      ]),
      code: 2016,
      details: /^interactive\.action\.sections\[1\]\.rows must have 1 to 10 rows$/,
    },
    {
      name: 'a section of 11 rows',
      body: list([{ rows: times(11, (r) => row(`r${r}`)) }]),
      code: 2016,
      details: /^interactive\.action\.sections\[0\]\.rows must have 1 to 10 rows$/,
    },
    {
      name: '11 rows across sections',
      body: list([
        { title: 'A', rows: times(6, (r) => row(`a${r}`)) },
        { title: 'B', rows: times(5, (r) => row(`b${r}`)) },
      ]),
      code: 2016,
      details: /^interactive\.action\.sections have 11 rows in all; a list has at most 10$/,
    },
    {
      name: 'a section without its rows field',
      body: list([{ title: 'A' }]),
      code: 1008,
      details: /^missing required parameter interactive\.action\.sections\[0\]\.rows$/,
    },
    {
      name: 'a row title over 24',
      body: list([
        { title: 'A', rows: [row('1')] },
        { title: 'B', rows: [{ id: '2', title: 't'.repeat(25) }] },
      ]),
      code: 1009,
      details: /^interactive\.action\.sections\[1\]\.rows\[0\]\.title must be at most 24 characters long$/,
    },
    {
      name: 'a row description over 72',
      body: list([{ rows: [{ id: '1', title: 't', description: 'd'.repeat(73) }] }]),
      code: 1009,
      details: /^interactive\.action\.sections\[0\]\.rows\[0\]\.description must be at most 72 characters long$/,
    },
    {
      name: 'a row id over 200',
      body: list([{ rows: [row('i'.repeat(201))] }]),
      code: 1009,
      details: /^interactive\.action\.sections\[0\]\.rows\[0\]\.id must be at most 200 characters long$/,
    },
    {
      name: 'a row without title',
      body: list([{ rows: [{ id: '1' }] }]),
      code: 1008,
      details: /^missing required parameter interactive\.action\.sections\[0\]\.rows\[0\]\.title$/,
    },
    {
      name: 'a section title over 24',
      body: list([{ title: 's'.repeat(25), rows: [row('1')] }]),
      code: 1009,
      details: /^interactive\.action\.sections\[0\]\.title must be at most 24 characters long$/,
    },
    {
      name: 'a second section without title',
      body: list([{ title: 'A', rows: [row('1')] }, { rows: [row('2')] }]),
      code: 1008,
      details:
        /^missing required parameter interactive\.action\.sections\[1\]\.title: each section needs a title when there are several$/,
    },
    {
      name: 'one row id in two sections',
      body: list([
        { title: 'A', rows: [row('1')] },
        { title: 'B', rows: [row('2'), row('1')] },
      ]),
      code: 1009,
      details:
        /^interactive\.action\.sections\[1\]\.rows\[1\]\.id must be unique: "1" is also sections\[0\]\.rows\[0\]$/,
    },
    {
      name: 'a product message without catalog_id',
      body: interactive({ type: 'product', action: { product_retailer_id: 'sku' } }),
      code: 1008,
      details: /^missing required parameter interactive\.action\.catalog_id$/,
    },
    {
      name: 'a product message without product_retailer_id',
      body: interactive({ type: 'product', action: { catalog_id: 'c' } }),
      code: 1008,
      details: /^missing required parameter interactive\.action\.product_retailer_id$/,
    },
    {
      name: 'a multi-product message without header',
      body: interactive({
        type: 'product_list',
        body: { text: 'x' },
        action: { catalog_id: 'c', sections: [{ product_items: products(1) }] },
      }),
      code: 1008,
      details: /^missing required parameter interactive\.header$/,
    },
    {
      name: 'a multi-product message without body',
      body: interactive({
        type: 'product_list',
        header: { type: 'text', text: 'x' },
        action: { catalog_id: 'c', sections: [{ product_items: products(1) }] },
      }),
      code: 1008,
      details: /^missing required parameter interactive\.body$/,
    },
    {
      name: 'a multi-product message of no sections',
      body: productList([]),
      code: 2015,
      details: /^interactive\.action\.sections must have 1 to 10 sections$/,
    },
    {
      name: 'a multi-product message of 11 sections',
      body: productList(times(11, (s) => ({ title: `S${s}`, product_items: products(1, s) }))),
      code: 2015,
      details: /^interactive\.action\.sections must have 1 to 10 sections$/,
    },
    {
      name: 'a product section without products',
      body: productList([{ title: 'A', product_items: [] }]),
      code: 2023,
      details: /^interactive\.action\.sections\[0\]\.product_items must have 1 to 30 products$/,
    },
    {
      name: 'a product section of 31 products',
      body: productList([{ product_items: products(31) }]),
      code: 2023,
      details: /^interactive\.action\.sections\[0\]\.product_items must have 1 to 30 products$/,
    },
    {
      name: '31 products across sections',
      body: productList([
        { title: 'A', product_items: products(16) },
        { title: 'B', product_items: products(15, 16) },
      ]),
      code: 2023,
      details: /^interactive\.action\.sections have 31 products in all; a message has at most 30$/,
    },
    {
      name: 'a product item without product_retailer_id',
      body: productList([{ product_items: [{}] }]),
      code: 1008,
      details:
        /^missing required parameter interactive\.action\.sections\[0\]\.product_items\[0\]\.product_retailer_id$/,
    },
    {
      name: 'a second product section without title',
      body: productList([{ title: 'A', product_items: products(1) }, { product_items: products(1, 1) }]),
      code: 1008,
      details: /^missing required parameter interactive\.action\.sections\[1\]\.title/,
    },
    {
      name: 'an unknown field',
      body: buttons({ flow: {} }),
      code: 1010,
      details: /^interactive\.flow is not an accepted parameter$/,
    },
  ]);
});
