// The web console on a node whose gateway is the cloud bridge (a fake Graph API posting Meta's webhooks): the same
// conversations, read from what Meta delivered, a send through the composer that reaches Graph, and none of the
// sandbox's controls.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BROWSER_SKIP, launchBrowser, type BrowserPage, type TestBrowser } from '../support/browser.js';
import { startCloudNode, type CloudNode } from '../support/cloud-node.js';
import { goTo, logIn, menuOf } from '../support/console-page.js';
import { ADMIN_PASSWORD, eventually, suiteScope } from '../support/harness.js';

const CUSTOMER = '16315551234';

describe('the console on a cloud node', { skip: BROWSER_SKIP }, () => {
  let cloud: CloudNode;
  let browser: TestBrowser;
  let origin: string;
  let tab: BrowserPage;

  // The browser goes first: the node's close waits for the connections the page holds.
  after(() => browser?.close());
  const suite = suiteScope();
  before(async () => {
    cloud = await startCloudNode(suite, { webhooks: true });
    origin = `http://127.0.0.1:${(cloud.t.node.app.server.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    tab = await browser.open(origin);
  });

  it('shows the conversations Meta delivered, sends through Graph, and offers no sandbox control', async () => {
    await cloud.fake.customerWrites({ from: CUSTOMER, name: 'Robin', text: 'Hello from the cloud' });
    await cloud.fake.webhooksSettled();
    await cloud.t.node.cloudInbound!.runOnce();

    const { page } = tab;
    await page.goto(`${origin}/console/`);
    await logIn(page, 'admin', ADMIN_PASSWORD);
    assert.deepEqual(await menuOf(page), ['Conversations', 'Webhooks', 'Settings', 'Users', 'Health']);
    assert.equal(await page.locator('.badge.gateway-cloud').textContent(), 'cloud');

    await page.locator('.thread').filter({ hasText: 'Hello from the cloud' }).click();
    await page.getByRole('log').getByText('Hello from the cloud').waitFor();
    assert.equal(await page.getByRole('complementary', { name: 'The customer (sandbox)' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Customer' }).count(), 0);

    await page.getByRole('textbox', { name: /as the business/ }).fill('Hello from the console');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('log').getByText('Hello from the console').waitFor();
    const sends = cloud.fake
      .of('sendMessage')
      .filter((request) => JSON.stringify(request.body).includes('Hello from the console'));
    assert.equal(sends.length, 1, 'the message went to Graph');
    // Meta's statuses come back as webhooks and move the ticks.
    await eventually(async () => {
      await cloud.fake.webhooksSettled();
      await cloud.t.node.cloudInbound!.runOnce();
      return (await page.locator('.message.out .ticks[data-status="read"]').count()) > 0 ? true : undefined;
    }, 10_000);

    await goTo(page, 'templates');
    await page.getByText('This view is not available to your account on this node.').waitFor();
    assert.deepEqual(tab.foreignRequests, []);
    assert.deepEqual(tab.errors, []);
  });
});
