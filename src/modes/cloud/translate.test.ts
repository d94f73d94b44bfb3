// The On-Prem → Cloud send body, per case the route tests do not reach: media ids inside an interactive header and
// template parameters, date_time parameters, context and callback data, and the hsm's date parameter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateOutboundMessage } from '../../services/messages/outbound.js';
import { toCloudMessage } from './translate.js';

const LOCAL = 'f3c2a1b0-0000-4000-8000-000000000001';
const cloudOf = (id: string) => (id === LOCAL ? '9988776655' : `unexpected ${id}`);
const translate = (body: Record<string, unknown>) =>
  toCloudMessage(validateOutboundMessage({ to: '16315551001', ...body }), '16315551001', cloudOf);

describe('toCloudMessage', () => {
  it('maps a local media id in an interactive header', () => {
    const cloud = translate({
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'image', image: { id: LOCAL } },
        body: { text: 'b' },
        action: { buttons: [{ type: 'reply', reply: { id: 'keep-me', title: 'OK' } }] },
      },
    });
    const interactive = cloud.interactive as any;
    assert.deepEqual(interactive.header, { type: 'image', image: { id: '9988776655' } });
    assert.equal(interactive.action.buttons[0].reply.id, 'keep-me', 'a reply id is not a media id');
  });

  it('maps template media parameters and keeps only a date_time fallback_value', () => {
    const cloud = translate({
      type: 'template',
      template: {
        namespace: 'ns',
        name: 'n',
        language: { policy: 'deterministic', code: 'en' },
        components: [
          { type: 'header', parameters: [{ type: 'document', document: { id: LOCAL, filename: 'a.pdf' } }] },
          {
            type: 'body',
            parameters: [{ type: 'date_time', date_time: { fallback_value: 'May 1', day_of_month: 1, month: 5 } }],
          },
        ],
      },
    });
    assert.deepEqual(cloud.template, {
      name: 'n',
      language: { code: 'en' },
      components: [
        { type: 'header', parameters: [{ type: 'document', document: { id: '9988776655', filename: 'a.pdf' } }] },
        { type: 'body', parameters: [{ type: 'date_time', date_time: { fallback_value: 'May 1' } }] },
      ],
    });
  });

  it('carries context and biz_opaque_callback_data, drops ttl', () => {
    const cloud = translate({
      type: 'hsm',
      ttl: 3600,
      context: { message_id: 'wamid.q' },
      biz_opaque_callback_data: 'ref-1',
      hsm: {
        namespace: 'ns',
        element_name: 'e',
        language: { code: 'en' },
        localizable_params: [{ default: 'May 1', date_time: { unix_epoch: { timestamp: 1 } } }],
      },
    });
    assert.deepEqual(cloud, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16315551001',
      type: 'template',
      context: { message_id: 'wamid.q' },
      biz_opaque_callback_data: 'ref-1',
      template: {
        name: 'e',
        language: { code: 'en' },
        components: [{ type: 'body', parameters: [{ type: 'date_time', date_time: { fallback_value: 'May 1' } }] }],
      },
    });
  });

  it('leaves a text without preview_url as it was', () => {
    assert.deepEqual(translate({ text: { body: 'hi' } }).text, { body: 'hi' });
  });
});
