// Every kind of Cloud inbound message and status, posted as Meta sends it (checked against Meta's schema), reaches the
// integration in exactly the shape On-Prem gave it (docs/api/webhooks.md#payloads; the translation:
// docs/api/cloud-bridge.md#translation); what On-Prem never delivered is left out and counted.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CUSTOMER,
  assertMetaShaped,
  cloudStatus,
  cloudWebhook,
  inboundMessage,
  inboundWebhook,
  messagesChange,
  statusWebhook,
  wamid,
} from '../support/cloud-webhooks.js';
import { startCloudScenario, type CloudScenario } from '../support/cloud-scenario.js';
import { suiteScope } from '../support/harness.js';

const SHA256_BASE64 = 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=';
const SHA256_HEX = Buffer.from(SHA256_BASE64, 'base64').toString('hex');
const BUSINESS_CONTEXT = { from: '16315550253', id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJGMzEyNzhENTZDMzNGODlDRDgA' };

describe('cloud webhook: every inbound message type in On-Prem form', () => {
  let s: CloudScenario;
  const suite = suiteScope();
  before(async () => {
    s = await startCloudScenario(suite);
  });

  /** Posts one message as Meta would and answers the callback the integration got for it. */
  async function receive(message: Record<string, unknown>, body = inboundWebhook(message)): Promise<any> {
    assertMetaShaped(body);
    await s.post(body);
    await s.deliver();
    const callback = s.callbacks().find((c) => c.messages?.[0]?.id === message.id);
    assert.ok(callback, `no callback for ${String(message.id)}: ${JSON.stringify(s.callbacks())}`);
    return callback;
  }

  /** The message object of the callback, and that the sender came with it as On-Prem sent it. */
  async function onPremMessage(message: Record<string, unknown>): Promise<any> {
    const callback = await receive(message);
    assert.deepEqual(callback.contacts, [{ profile: { name: CUSTOMER.name }, wa_id: CUSTOMER.waId }]);
    assert.equal(callback.messages.length, 1);
    return callback.messages[0];
  }

  const base = (message: Record<string, unknown>) => ({
    from: CUSTOMER.waId,
    id: message.id,
    timestamp: message.timestamp,
  });

  it('text, with a product enquiry context and with an ad referral (Cloud-only referral keys left out)', async () => {
    const plain = inboundMessage('text', { body: 'Does it come in another color?' });
    assert.deepEqual(await onPremMessage(plain), {
      ...base(plain),
      type: 'text',
      text: { body: 'Does it come in another color?' },
    });
    const context = {
      ...BUSINESS_CONTEXT,
      referred_product: { catalog_id: '194836987003835', product_retailer_id: 'di9ozbzfi4' },
    };
    const enquiry = inboundMessage('text', { body: 'Is this still available?' }, { context });
    assert.deepEqual(await onPremMessage(enquiry), {
      ...base(enquiry),
      type: 'text',
      text: { body: 'Is this still available?' },
      context,
    });
    const referral = {
      source_url: 'https://fb.me/3cr4Wqqkv',
      source_id: '120226305854810726',
      source_type: 'ad',
      body: 'Summer Succulents are here!',
      headline: 'Chat with us',
      media_type: 'image',
      image_url: 'https://scontent.xx.fbcdn.net/v/t45.1...',
    };
    const fromAd = inboundMessage(
      'text',
      { body: 'more info?' },
      { referral: { ...referral, ctwa_clid: 'Aff-n8ZT', welcome_message: { text: 'Hi there!' } } },
    );
    assert.deepEqual(await onPremMessage(fromAd), {
      ...base(fromAd),
      type: 'text',
      text: { body: 'more info?' },
      referral,
    });
    const dropped = await s.t.node.metrics.cloudWebhookUnforwardedFields.get();
    assert.ok(dropped.values.some((v) => v.labels.field === 'message.referral.ctwa_clid' && v.value === 1));
  });

  it('media: local ids, hex digests, voice notes as voice, Cloud-only keys left out, downloads per media.auto_download', async () => {
    const image = inboundMessage('image', {
      caption: 'Taj Mahal',
      mime_type: 'image/jpeg',
      sha256: SHA256_BASE64,
      id: '1003383421387256',
    });
    assert.deepEqual(await onPremMessage(image), {
      ...base(image),
      type: 'image',
      image: { id: 'local-1003383421387256', mime_type: 'image/jpeg', sha256: SHA256_HEX, caption: 'Taj Mahal' },
    });
    const voice = inboundMessage('audio', {
      mime_type: 'audio/ogg; codecs=opus',
      sha256: SHA256_BASE64,
      id: '2001',
      voice: true,
    });
    assert.deepEqual(await onPremMessage(voice), {
      ...base(voice),
      type: 'voice',
      voice: { id: 'local-2001', mime_type: 'audio/ogg; codecs=opus', sha256: SHA256_HEX },
    });
    const audio = inboundMessage('audio', { mime_type: 'audio/mpeg', sha256: SHA256_BASE64, id: '2002', voice: false });
    assert.deepEqual(await onPremMessage(audio), {
      ...base(audio),
      type: 'audio',
      audio: { id: 'local-2002', mime_type: 'audio/mpeg', sha256: SHA256_HEX },
    });
    const document = inboundMessage('document', {
      caption: 'March',
      filename: 'receipt.pdf',
      mime_type: 'application/pdf',
      sha256: SHA256_BASE64,
      id: '2003',
    });
    assert.deepEqual(await onPremMessage(document), {
      ...base(document),
      type: 'document',
      document: {
        id: 'local-2003',
        mime_type: 'application/pdf',
        sha256: SHA256_HEX,
        caption: 'March',
        filename: 'receipt.pdf',
      },
    });
    const sticker = inboundMessage('sticker', {
      mime_type: 'image/webp',
      sha256: SHA256_BASE64,
      id: '2004',
      animated: false,
    });
    assert.deepEqual(await onPremMessage(sticker), {
      ...base(sticker),
      type: 'sticker',
      sticker: { id: 'local-2004', mime_type: 'image/webp', sha256: SHA256_HEX },
    });
    await s.settings({ media: { auto_download: ['video'] } });
    const video = inboundMessage('video', {
      caption: 'My vacation',
      mime_type: 'video/mp4',
      sha256: SHA256_BASE64,
      id: '2005',
    });
    const notDownloaded = inboundMessage('image', { mime_type: 'image/png', sha256: SHA256_BASE64, id: '2006' });
    assert.equal((await onPremMessage(video)).video.id, 'local-2005');
    assert.equal(
      (await onPremMessage(notDownloaded)).image.id,
      'local-2006',
      'the file is fetched from Cloud when first asked for',
    );
    await s.settings({ media: { auto_download: ['image', 'video', 'voice', 'sticker', 'audio', 'document'] } });
    const downloads = Object.fromEntries(s.media.adopted.map((a) => [a.cloudId, a.download]));
    assert.deepEqual(downloads, {
      1003383421387256: true,
      2001: true,
      2002: true,
      2003: true,
      2004: true,
      2005: true,
      2006: false,
    });
    assert.deepEqual(
      s.media.adopted.find((a) => a.cloudId === '2003'),
      {
        cloudId: '2003',
        mimeType: 'application/pdf',
        sha256: SHA256_HEX,
        filename: 'receipt.pdf',
        download: true,
      },
    );
  });

  it('location, contacts, reaction and order as they were', async () => {
    const place = {
      address: '101 Forest Ave, Palo Alto, CA 94301',
      latitude: 37.44221496582,
      longitude: -122.16165924072,
      name: 'Philz Coffee',
      url: 'https://philzcoffee.com/',
    };
    const location = inboundMessage('location', place);
    assert.deepEqual(await onPremMessage(location), { ...base(location), type: 'location', location: place });
    const cards = [
      {
        name: { first_name: 'Lucía', last_name: 'Gómez', formatted_name: 'Lucía Gómez' },
        org: { company: 'Google' },
        phones: [{ phone: '+1 (983) 555-2319', wa_id: '19835552319', type: 'MOBILE' }],
      },
    ];
    const contacts = inboundMessage('contacts', cards);
    assert.deepEqual(await onPremMessage(contacts), { ...base(contacts), type: 'contacts', contacts: cards });
    const reaction = inboundMessage('reaction', { message_id: BUSINESS_CONTEXT.id, emoji: '👍' });
    assert.deepEqual(await onPremMessage(reaction), {
      ...base(reaction),
      type: 'reaction',
      reaction: { message_id: BUSINESS_CONTEXT.id, emoji: '👍' },
    });
    const items = {
      catalog_id: '194836987003835',
      text: '',
      product_items: [{ product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 30, currency: 'USD' }],
    };
    const order = inboundMessage('order', items);
    assert.deepEqual(await onPremMessage(order), { ...base(order), type: 'order', order: items });
  });

  it('quick-reply buttons and interactive replies, with the business message they answer', async () => {
    const button = inboundMessage(
      'button',
      { payload: 'Unsubscribe', text: 'Unsubscribe' },
      { context: BUSINESS_CONTEXT },
    );
    assert.deepEqual(await onPremMessage(button), {
      ...base(button),
      type: 'button',
      button: { payload: 'Unsubscribe', text: 'Unsubscribe' },
      context: BUSINESS_CONTEXT,
    });
    const list = {
      type: 'list_reply',
      list_reply: { id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' },
    };
    const listReply = inboundMessage('interactive', list, { context: BUSINESS_CONTEXT });
    assert.deepEqual(await onPremMessage(listReply), {
      ...base(listReply),
      type: 'interactive',
      interactive: list,
      context: BUSINESS_CONTEXT,
    });
    const tap = { type: 'button_reply', button_reply: { id: 'cancel-button', title: 'Cancel' } };
    const buttonReply = inboundMessage('interactive', tap, { context: BUSINESS_CONTEXT });
    assert.deepEqual(await onPremMessage(buttonReply), {
      ...base(buttonReply),
      type: 'interactive',
      interactive: tap,
      context: BUSINESS_CONTEXT,
    });
  });

  it("unsupported messages as On-Prem's unknown type with 501", async () => {
    const unsupported = inboundMessage('unsupported', undefined, {
      errors: [
        {
          code: 131051,
          title: 'Message type unknown',
          message: 'Message type unknown',
          error_data: { details: 'Message type is currently not supported.' },
        },
      ],
    });
    assert.deepEqual(await onPremMessage(unsupported), {
      ...base(unsupported),
      type: 'unknown',
      errors: [{ code: 501, title: 'Unknown message type', details: 'Message type is not currently supported' }],
    });
  });

  it("a changed number as On-Prem's customer_changed_number, without an invented contact", async () => {
    const system = inboundMessage('system', {
      body: 'User Sheena Nelson changed from 16315551234 to 16315551299',
      wa_id: '16315551299',
      type: 'user_changed_number',
    });
    const callback = await receive(system, cloudWebhook([messagesChange({ messages: [system] })]));
    assert.deepEqual(callback, {
      messages: [
        {
          ...base(system),
          type: 'system',
          system: {
            body: 'User Sheena Nelson changed from 16315551234 to 16315551299',
            type: 'customer_changed_number',
            new_wa_id: '16315551299',
          },
        },
      ],
    });
    await s.settings({ notify_user_change_number: false });
    const unannounced = inboundMessage('system', {
      body: 'User Sheena Nelson changed from 16315551299 to 16315551298',
      wa_id: '16315551298',
      type: 'user_changed_number',
    });
    await s.post(cloudWebhook([messagesChange({ messages: [unannounced] })]));
    await s.deliver();
    assert.equal(
      s.callbacks().filter((c) => c.messages?.[0]?.id === unannounced.id).length,
      0,
      'notify_user_change_number is off',
    );
    await s.settings({ notify_user_change_number: true });
  });
});

describe('cloud webhook: statuses in On-Prem form', () => {
  let s: CloudScenario;
  const suite = suiteScope();
  before(async () => {
    s = await startCloudScenario(suite);
  });

  const statusesOf = (id: string) =>
    s
      .callbacks()
      .flatMap((c) => c.statuses ?? [])
      .filter((st) => st.id === id);
  const row = (id: string) =>
    s.t.node.db.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  async function post(...statuses: Record<string, unknown>[]) {
    const body = statusWebhook(...statuses);
    assertMetaShaped(body);
    await s.post(body);
    await s.deliver();
  }

  it("carries Meta's conversation and pricing, honours the toggles and moves the message forward", async () => {
    const id = wamid();
    await s.insertSent(id);
    await post(cloudStatus(id, 'sent'));
    assert.deepEqual(statusesOf(id), [], 'sent goes out only with webhooks.message.sent or sent_status');
    assert.equal((await row(id)).status, 'sent');
    await s.settings({ webhooks: { message: { sent: true, delivered: true, read: true } } });
    const second = wamid();
    await s.insertSent(second);
    await post(cloudStatus(second, 'sent', { biz_opaque_callback_data: 'order-42' }), cloudStatus(id, 'read'));
    assert.deepEqual(statusesOf(second), [
      {
        id: second,
        recipient_id: CUSTOMER.waId,
        status: 'sent',
        timestamp: '1750000100',
        type: 'message',
        biz_opaque_callback_data: 'order-42',
        conversation: {
          id: 'b1cd6a8e1b5b45b7b5e7a6b1a0c4d111',
          expiration_timestamp: 1750086400,
          origin: { type: 'utility' },
        },
        pricing: { billable: true, pricing_model: 'CBP', category: 'utility' },
      },
    ]);
    const sent = await row(second);
    assert.equal(sent.category, 'utility');
    assert.equal(sent.conversation_id, 'b1cd6a8e1b5b45b7b5e7a6b1a0c4d111');
    assert.equal(Number(sent.sent_at), 1750000100 * 1000);
    // Meta does not promise order: a late `delivered` is forwarded, and the message stays read.
    await post(cloudStatus(id, 'delivered'));
    assert.deepEqual(
      statusesOf(id).map((st) => st.status),
      ['read', 'delivered'],
    );
    assert.equal((await row(id)).status, 'read');
  });

  it('a failed status with its Cloud code translated, and statuses of messages OpenPrem never sent', async () => {
    const id = wamid();
    await s.insertSent(id);
    const error = {
      code: 131047,
      title: 'Re-engagement message',
      message: 'Re-engagement message',
      error_data: {
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
    };
    await post(cloudStatus(id, 'failed', { errors: [error] }));
    assert.deepEqual(statusesOf(id), [
      {
        id,
        recipient_id: CUSTOMER.waId,
        status: 'failed',
        timestamp: '1750000100',
        type: 'message',
        errors: [
          {
            code: 470,
            title: 'Re-engagement message',
            details: `Cloud API error 131047: Re-engagement message: ${error.error_data.details}`,
          },
        ],
      },
    ]);
    const failed = await row(id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error_code, 470);
    const foreign = wamid();
    await post(cloudStatus(foreign, 'delivered'));
    assert.equal(
      statusesOf(foreign).length,
      1,
      'sent before the migration or by another tool: still the business’s message',
    );
    const pricingType = (await s.t.node.metrics.cloudWebhookUnforwardedFields.get()).values.find(
      (v) => v.labels.field === 'status.pricing.type',
    );
    assert.ok(pricingType && pricingType.value >= 1);
  });
});
