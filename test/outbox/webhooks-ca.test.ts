// The webhooks CA bundle end to end (docs/api/certificates.md#the-webhook-receivers-ca-bundle): a real HTTPS receiver
// on loopback whose certificate an internal CA (made by the test) signed. Delivery fails until the CA is uploaded,
// succeeds after it without a restart, fails again once it is deleted; and another node on the database picks the
// bundle up by itself.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { eventually, startNodePair, suiteScope, type TestNode } from '../support/harness.js';
import { makeChain, type TestChain } from '../support/pki.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const WEBHOOKS_CA = '/v1/certificates/webhooks/ca';

describe('webhooks CA bundle', () => {
  let a: TestNode;
  let b: TestNode;
  let chain: TestChain;
  let receiver: WebhookReceiver;
  let number = 2000;

  const suite = suiteScope();
  before(async () => {
    chain = await makeChain({ name: 'Receiver' });
    // The receiver presents its certificate and the intermediate; only the root is uploaded as the trusted CA.
    receiver = await startWebhookReceiver({
      tls: { key: chain.leaf.keyPem, cert: chain.leaf.certPem + chain.intermediate.certPem },
    });
    suite.after(() => receiver.close());
    ({ a, b } = await startNodePair(suite, {}, { env: { WA_SETTINGS_REFRESH_MS: '50' } }));
    const settings = await a.request({
      method: 'PATCH',
      url: '/v1/settings/application',
      token: await a.adminToken(),
      body: { webhooks: { url: receiver.url } },
    });
    assert.equal(settings.status, 200, settings.text);
    await eventually(async () => (b.node.settings.current().webhooks.url === receiver.url ? true : undefined));
    // Node b's dispatcher stays off until the last test, so each outcome below is node a's.
    await b.node.webhooks.dispatcher.stop();
  });

  const uploadCa = async (pem: string) => {
    const response = await a.request({
      method: 'POST',
      url: WEBHOOKS_CA,
      token: await a.adminToken(),
      payload: pem,
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(response.status, 200, response.text);
  };
  const deleteCa = async () =>
    assert.equal((await a.request({ method: 'DELETE', url: WEBHOOKS_CA, token: await a.adminToken() })).status, 200);
  /** A no_wait contact check on node a: its result becomes one `contacts` callback in the shared outbox. */
  const queueCallback = async () => {
    const input = `+1 631 555 ${++number}`;
    const response = await a.request({
      method: 'POST',
      url: '/v1/contacts',
      token: await a.adminToken(),
      body: { contacts: [input] },
    });
    assert.equal(response.body.contacts[0].status, 'processing');
    await a.node.lookupWorker.runOnce();
    return input;
  };
  const receivedFor = (input: string) => receiver.received.filter((r) => r.body?.contacts?.[0]?.input === input);
  const deliveryOf = async (input: string) => {
    const token = await a.adminToken();
    for (const d of (await a.request({ url: '/x/v1/webhooks/deliveries', token })).body.deliveries as any[]) {
      const detail = (await a.request({ url: `/x/v1/webhooks/deliveries/${d.id}`, token })).body.deliveries[0];
      if (detail.payload.contacts?.[0]?.input === input) return detail;
    }
    return undefined;
  };

  it("fails while the receiver's CA is unknown, and delivers once it is uploaded, without a restart", async () => {
    const input = await queueCallback();
    await a.node.webhooks.dispatcher.runOnce();
    const failed = await eventually(async () => {
      const d = await deliveryOf(input);
      return d?.attempts === 1 ? d : undefined;
    });
    assert.equal(failed.state, 'pending');
    assert.equal(failed.attempt_log[0].status_code, null);
    assert.match(
      failed.attempt_log[0].error,
      /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|unable to get local issuer certificate/,
    );
    assert.equal(receivedFor(input).length, 0, 'the untrusted receiver got nothing');

    await uploadCa(chain.root.certPem);
    a.clock.advance(3000);
    await a.node.webhooks.dispatcher.runOnce();
    const delivered = await eventually(async () => {
      const d = await deliveryOf(input);
      return d?.state === 'delivered' ? d : undefined;
    });
    assert.deepEqual(
      delivered.attempt_log.map((attempt: any) => attempt.status_code),
      [null, 200],
    );
    assert.equal(receivedFor(input).length, 1);
  });

  it('a new bundle replaces the previous one, and deleting it stops trusting the CA', async () => {
    // A bundle of an unrelated CA: the receiver is not trusted through it.
    const other = await makeChain({ name: 'Unrelated' });
    await uploadCa(other.root.certPem);
    const untrusted = await queueCallback();
    await a.node.webhooks.dispatcher.runOnce();
    await eventually(async () => ((await deliveryOf(untrusted))?.attempts === 1 ? true : undefined));
    assert.equal(receivedFor(untrusted).length, 0);

    await uploadCa(other.root.certPem + chain.root.certPem);
    a.clock.advance(3000);
    await a.node.webhooks.dispatcher.runOnce();
    await eventually(async () => (receivedFor(untrusted).length === 1 ? true : undefined));

    await deleteCa();
    const afterDelete = await queueCallback();
    await a.node.webhooks.dispatcher.runOnce();
    const failed = await eventually(async () => {
      const d = await deliveryOf(afterDelete);
      return d?.attempts === 1 ? d : undefined;
    });
    assert.equal(failed.state, 'pending');
    assert.match(failed.last_error, /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|unable to get local issuer certificate/);
    assert.equal(receivedFor(afterDelete).length, 0);
    // Leave nothing due for the next test.
    await uploadCa(chain.root.certPem);
    a.clock.advance(6000);
    await a.node.webhooks.dispatcher.runOnce();
    await eventually(async () => (receivedFor(afterDelete).length === 1 ? true : undefined));
    await deleteCa();
  });

  it('another node picks up an upload and a delete within its settings refresh interval', async () => {
    await a.node.webhooks.dispatcher.stop();
    b.node.webhooks.dispatcher.start();
    // The previous test ended with a delete: b has seen it, or sees it shortly.
    await eventually(async () => (b.node.certificates.currentWebhooksCa() === null ? true : undefined));
    await uploadCa(chain.root.certPem);
    await eventually(async () =>
      b.node.certificates.currentWebhooksCa() === a.node.certificates.currentWebhooksCa() ? true : undefined,
    );
    const input = await queueCallback();
    await b.node.webhooks.dispatcher.runOnce();
    await eventually(async () => (receivedFor(input).length === 1 ? true : undefined));
    await deleteCa();
    await eventually(async () => (b.node.certificates.currentWebhooksCa() === null ? true : undefined));
  });
});
