// The web console (/console) in a real browser (Debian's Chromium) against a real listening sandbox node, with a
// real webhook receiver: the first login, a chat whose ticks move live as the simulated network advances on the
// manual clock, writing as the customer, a failed delivery replayed, a template's error at its field, what a
// ROLE_USER is offered, a 360 px screen, the keyboard. One browser for the file; every page must load nothing from
// outside the node and raise no error.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { BROWSER_SKIP, launchBrowser, saveScreenshot, type BrowserPage, type TestBrowser } from '../support/browser.js';
import { focused, goTo, logIn, menuOf, openView, pageLoad, scrollsSideways } from '../support/console-page.js';
import { ADMIN_PASSWORD, eventually, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const CUSTOMER = '16315551234';
const USER = 'watcher1';
const USER_PASSWORD = 'Watcher-Pass1!';

describe('the console on a sandbox node', { skip: BROWSER_SKIP }, () => {
  let t: TestNode;
  let receiver: WebhookReceiver;
  let browser: TestBrowser;
  let origin: string;
  let admin: BrowserPage;
  let adminToken: string;
  const pages: BrowserPage[] = [];
  /** Console lines each test expects (the first login's 401 / 1024), cleared after each test. */
  let expectedErrors: RegExp[] = [];

  /** Moves the manual clock, runs the sandbox network and delivers every callback due. */
  async function advance(ms: number): Promise<void> {
    t.clock.advance(ms);
    await t.node.sandboxNetwork!.runOnce();
    await t.node.webhooks.dispatcher.runOnce();
  }
  /** Messages a minute apart read in order, with their own times (the manual clock stands still otherwise). */
  const aMinuteLater = () => t.clock.advance(60_000);
  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, token = adminToken) => {
    const response = await t.request({ method, url, token, ...(body === undefined ? {} : { body }) });
    assert.ok(response.status < 300, `${method} ${url}: ${response.status} ${response.text}`);
    return response.body;
  };
  const open = async (options?: { width: number; height: number }) => {
    const page = await browser.open(origin, options);
    pages.push(page);
    return page;
  };

  // The browser goes first: the node's close waits for the connections the pages hold.
  after(() => browser?.close());
  const suite = suiteScope();
  before(async () => {
    receiver = await startWebhookReceiver();
    suite.after(() => receiver.close());
    // No WA_ADMIN_PASSWORD: the built-in admin keeps On-Prem's default password and must change it at first login.
    t = await startTestNode(suite, { env: { WA_ADMIN_PASSWORD: '' } });
    await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(t.node.app.server.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    admin = await open();
  });
  afterEach(() => {
    // Each test answers for its own errors only: they are taken off the pages before anything is asserted.
    const expected = expectedErrors;
    expectedErrors = [];
    for (const page of pages) {
      const errors = page.errors.splice(0);
      assert.deepEqual(page.foreignRequests, [], 'nothing may be loaded from outside the node');
      assert.deepEqual(
        errors.filter((error) => !expected.some((pattern) => pattern.test(error))),
        [],
        'no console or page errors',
      );
    }
  });

  it('loads from the node alone, paints quickly and weighs little; the login form comes first by keyboard', async (context) => {
    const { page } = admin;
    await page.goto(`${origin}/console/`, { waitUntil: 'networkidle' });
    const load = await pageLoad(page);
    context.diagnostic(
      `login page: first paint ${load.paints['first-paint']} ms, first contentful paint ${load.paints['first-contentful-paint']} ms, ${load.files} files, ${load.fileBytes} bytes`,
    );
    assert.ok(load.paints['first-contentful-paint']! < 5000, 'painted within 5 s even on a busy machine');
    // The login screen loads preact, htm and the shell, not the views nor uPlot (~145 KB, the health view's alone).
    assert.equal(load.files, load.responses, "nothing but the console's files before the login");
    assert.ok(load.fileBytes < 100_000, `${load.fileBytes} bytes`);
    await saveScreenshot(page, 'console-login');
    // The username field has the focus; Tab goes on to the password, then the button.
    assert.equal(await focused(page, 'autocomplete'), 'username');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page, 'autocomplete'), 'current-password');
    await page.keyboard.press('Tab');
    assert.equal(await page.locator(':focus').textContent(), 'Log in');
  });

  it('makes the first login choose a new password, then offers an admin every view', async (context) => {
    const { page } = admin;
    expectedErrors = [/status of 401/];
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('secret');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('New password', { exact: true }).fill(ADMIN_PASSWORD);
    // The browser reports the answer to the first try, 401 / 1024 Password Change Required, on its console.
    await eventually(async () => (admin.errors.some((error) => /status of 401/.test(error)) ? true : undefined));
    await page.getByLabel('New password again').fill('Not-The-Same1!');
    await page.getByRole('button', { name: 'Change password and log in' }).click();
    assert.equal(await page.getByLabel('New password again').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('New password again').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Change password and log in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    assert.deepEqual(await menuOf(page), ['Conversations', 'Webhooks', 'Templates', 'Settings', 'Users', 'Health']);
    await page.getByRole('heading', { name: 'Conversations' }).waitFor();
    const load = await pageLoad(page);
    context.diagnostic(
      `logged in, conversations shown: ${load.files} files, ${load.fileBytes} bytes of them; ${load.responses} responses, ${load.bytes} bytes in all`,
    );
    adminToken = await t.adminToken();
    await api('PATCH', '/v1/settings/application', {
      webhooks: { url: receiver.url, message: { sent: true, delivered: true, read: true } },
    });
  });

  it("shows a chat as WhatsApp does, and moves a business message's ticks live from the clock to blue", async () => {
    const { page } = admin;
    await api('POST', '/sandbox/inbound', {
      from: CUSTOMER,
      profile: { name: 'Kerry' },
      type: 'text',
      text: { body: 'Where is my order?\nIt was due Monday.' },
    });
    await advance(0);
    aMinuteLater();
    await openView(page, 'Conversations');
    await page.getByRole('link', { name: /Kerry/ }).click();
    const log = page.getByRole('log');
    await log.getByText('Where is my order?').waitFor();
    assert.equal(await log.locator('.message.in .text').first().innerText(), 'Where is my order?\nIt was due Monday.');
    await page.evaluate('window.sameDocument = true');

    const sent = await api('POST', '/v1/messages', { to: CUSTOMER, type: 'text', text: { body: 'It ships today.' } });
    const ticks = (status: string) =>
      page.locator(`li[data-id="${sent.messages[0].id}"] .ticks[data-status="${status}"]`).waitFor();
    await ticks('accepted');
    await advance(100);
    await ticks('sent');
    await advance(300);
    await ticks('delivered');
    await advance(1100);
    await ticks('read');
    const colour = await page.evaluate(
      `getComputedStyle(document.querySelector('li[data-id="${sent.messages[0].id}"] .ticks')).color`,
    );
    assert.equal(colour, 'rgb(2, 126, 181)', 'read ticks are blue');
    assert.equal(await page.evaluate('window.sameDocument'), true, 'no reload');

    // The composer is reachable by keyboard from the top of the page.
    aMinuteLater();
    await page.locator('body').focus();
    await eventually(async () => {
      await page.keyboard.press('Tab');
      return (await focused(page, 'id')) === 'composer-text' ? true : undefined;
    }, 20_000);
    await page.keyboard.type('Anything else?');
    await page.keyboard.press('Enter');
    await log.getByText('Anything else?').waitFor();
  });

  it("writes as the customer (text, a photo, a tap on the business's buttons) and the webhook receiver gets each", async () => {
    const { page } = admin;
    const panel = page.getByRole('complementary', { name: 'The customer (sandbox)' });
    const received = (check: (message: any) => boolean) =>
      eventually(async () => {
        await t.node.webhooks.dispatcher.runOnce();
        return receiver.received.flatMap((r) => (r.body?.messages ?? []) as any[]).find(check);
      });

    aMinuteLater();
    await panel.getByLabel("Customer's message").fill('Thanks!\nSee you.');
    await panel.getByRole('button', { name: 'Send as the customer' }).click();
    assert.equal((await received((m) => m.text?.body === 'Thanks!\nSee you.')).from, CUSTOMER);
    await page.getByRole('log').getByText('See you.').waitFor();

    aMinuteLater();
    await panel.getByLabel('What the customer sends').selectOption('file');
    await panel
      .getByLabel(/^File/)
      .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: makePng(64, 48) });
    await panel.getByLabel('Caption (optional)').fill('my receipt');
    await panel.getByRole('button', { name: 'Send as the customer' }).click();
    assert.equal((await received((m) => m.type === 'image')).image.caption, 'my receipt');
    const thumbnail = page.getByRole('log').getByRole('img', { name: 'my receipt', exact: true });
    await thumbnail.waitFor();
    assert.match(String(await thumbnail.getAttribute('src')), /^blob:/);

    aMinuteLater();
    const question = await api('POST', '/v1/messages', {
      to: CUSTOMER,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Was the delivery on time?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'on-time', title: 'Yes' } },
            { type: 'reply', reply: { id: 'late', title: 'No' } },
          ],
        },
      },
    });
    await page.getByRole('log').getByText('Was the delivery on time?').waitFor();
    aMinuteLater();
    const thread = page.locator('.thread').first();
    const listed = await thread.innerText();
    await panel.getByLabel('What the customer sends').selectOption('reply');
    await panel.getByRole('button', { name: 'No' }).click();
    const tap = await received((m) => m.interactive?.button_reply?.id === 'late');
    assert.equal(tap.context.id, question.messages[0].id);

    // The list follows too (its newest message and unread count), then the whole view is photographed.
    await advance(2000);
    await page.locator(`li[data-id="${question.messages[0].id}"] .ticks[data-status="read"]`).waitFor();
    await eventually(async () => ((await thread.innerText()) !== listed ? true : undefined));
    await saveScreenshot(page, 'console-chat');

    // Sandbox controls: the customer goes offline.
    await panel.getByLabel('Online').uncheck();
    await eventually(async () =>
      (await api('GET', `/sandbox/customers/${CUSTOMER}`)).customers[0].online === false ? true : undefined,
    );
    await panel.getByLabel('Online').check();
    await eventually(async () =>
      (await api('GET', `/sandbox/customers/${CUSTOMER}`)).customers[0].online === true ? true : undefined,
    );

    // A location, and a reaction to the business's question (shown under it, not as a message of its own).
    aMinuteLater();
    await panel.getByLabel('What the customer sends').selectOption('location');
    await panel.getByLabel('Name (optional)').fill('Back door');
    await panel.getByRole('button', { name: 'Send the location' }).click();
    assert.equal((await received((m) => m.type === 'location')).location.name, 'Back door');
    await page.getByRole('log').getByText('Back door').waitFor();
    await panel.getByLabel('What the customer sends').selectOption('reaction');
    await panel.getByLabel('Message').selectOption(question.messages[0].id);
    await panel.getByRole('button', { name: 'React with 👍' }).click();
    assert.equal((await received((m) => m.type === 'reaction')).reaction.message_id, question.messages[0].id);
    await page.locator(`li[data-id="${question.messages[0].id}"] .reactions`).waitFor();
  });

  it('shows a delivery failing while the receiver is broken, and replays it once the receiver is back', async () => {
    const { page } = admin;
    await api('PATCH', '/v1/settings/application', {
      callback_persist: false,
      callback_backoff_delay_ms: 1000,
      max_callback_backoff_delay_ms: 1000,
    });
    receiver.answerWith(500, 'receiver broken');
    const inbound = await api('POST', '/sandbox/inbound', {
      from: CUSTOMER,
      type: 'text',
      text: { body: 'Are you there?' },
    });
    const id = inbound.messages[0].id as string;
    const delivery = () =>
      api('GET', '/x/v1/webhooks/deliveries?kind=message').then((b) =>
        b.deliveries.find((d: any) => d.message_id === id),
      );
    await eventually(async () => {
      await advance(1000);
      return (await delivery())?.state === 'failed' ? true : undefined;
    });

    // The node keeps its delivery numbers 5 s (on its clock) before reading them again.
    t.clock.advance(5000);
    await openView(page, 'Webhooks');
    const row = page.getByRole('row').filter({ hasText: id });
    await row.waitFor();
    await page
      .locator('.counts li')
      .filter({ hasText: 'Failed' })
      .locator('strong')
      .filter({ hasText: /^1$/ })
      .waitFor();
    await saveScreenshot(page, 'console-deliveries');
    await page.getByLabel('State').selectOption('failed');
    // Only the header and the failed delivery are left.
    await eventually(async () => ((await page.getByRole('row').count()) === 2 ? true : undefined));
    assert.match(await row.innerText(), /HTTP 500/);
    await row.getByRole('link', { name: 'failed' }).click();
    await page.getByText('receiver broken').first().waitFor();

    receiver.answerWith(200);
    await page.getByRole('button', { name: 'Replay this delivery' }).click();
    await eventually(async () => {
      await t.node.webhooks.dispatcher.runOnce();
      return (await delivery())?.state === 'delivered' ? true : undefined;
    });
    // The page follows by itself, from the delivery numbers' event (read again once 5 s passed on the node's clock).
    t.clock.advance(5000);
    await page.locator('dd.state-delivered').waitFor({ timeout: 10_000 });
    await api('PATCH', '/v1/settings/application', { callback_persist: true });
  });

  it("shows a template's validation errors at their fields, then creates it", async () => {
    const { page } = admin;
    expectedErrors = [/status of 400/];
    await openView(page, 'Templates');
    await page.getByRole('link', { name: 'New template' }).click();
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('Order Shipped');
    await page.getByLabel('Body').fill('Hello {{2}}, your order has shipped.');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page
      .locator('.field.invalid')
      .filter({ has: name })
      .getByText(/must match pattern/)
      .waitFor();
    assert.equal(await focused(page, 'data-path'), 'name', 'the field in error takes the focus');

    await name.fill('order_shipped');
    await page.getByRole('button', { name: 'Create template' }).click();
    const body = page.getByLabel('Body');
    await page
      .locator('.field.invalid')
      .filter({ has: body })
      .getByText(/placeholders must be numbered \{\{1\}\} to \{\{n\}\}/)
      .waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), null, 'the fixed field is no longer marked');
    await page.evaluate("document.querySelector('main').scrollTo(0, 0)");
    await saveScreenshot(page, 'console-template-error');

    await body.fill('Hello {{1}}, your order has shipped.');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByText('Saved.').waitFor();
    const stored = await api('GET', '/sandbox/templates/openprem_sandbox/order_shipped/en_US');
    assert.equal(stored.templates[0].components.body.text, 'Hello {{1}}, your order has shipped.');

    // Paused from the list: a send of it would now fail with 2061.
    await page.getByRole('link', { name: 'All templates' }).click();
    await page.getByLabel('Status of order_shipped (en_US)').selectOption('paused');
    await page.getByText('order_shipped is now paused.').waitFor();
    assert.equal(
      (await api('GET', '/sandbox/templates/openprem_sandbox/order_shipped/en_US')).templates[0].status,
      'paused',
    );
  });

  it('shows the settings and the health view with its charts', async (context) => {
    const { page } = admin;
    expectedErrors = [/status of 400/];
    await openView(page, 'Settings');
    assert.equal(await page.getByLabel('Webhook URL').inputValue(), receiver.url);
    await saveScreenshot(page, 'console-settings');
    await page.getByLabel('Webhook URL').fill('ftp://example.com/');
    await page.getByRole('button', { name: 'Save application settings' }).click();
    await page
      .locator('.field.invalid')
      .filter({ has: page.getByLabel('Webhook URL') })
      .getByText(/http/)
      .waitFor();
    await page.getByLabel('Webhook URL').fill(receiver.url);
    await page.getByLabel('About text').fill('Open 9 to 5');
    await page.getByRole('button', { name: 'Save About' }).click();
    await page.getByRole('form', { name: 'About' }).getByText('Saved.').waitFor();
    assert.equal((await api('GET', '/v1/settings/profile/about')).settings.profile.about.text, 'Open 9 to 5');

    await openView(page, 'Health');
    await page.getByRole('cell', { name: 'primary (leader)' }).waitFor();
    // A point needs two readings of the metrics, 2 s apart. For the screenshot, a few points with some traffic:
    // template sends (any time, to anyone) to another customer, their statuses and callbacks.
    const points = process.env.OPENPREM_UPDATE_SCREENSHOTS === '1' ? 8 : 1;
    const charted = () => page.locator('.chart').first().getAttribute('data-points').then(Number);
    for (let point = 1; point <= points; point++) {
      for (let i = 0; i < (point % 3) + 1; i++) {
        await api('POST', '/v1/messages', {
          to: '16315550042',
          type: 'template',
          template: {
            namespace: 'openprem_sandbox',
            name: 'hello_world',
            language: { policy: 'deterministic', code: 'en_US' },
          },
        });
      }
      await advance(2000);
      await eventually(async () => ((await charted()) >= point ? true : undefined), 10_000);
    }
    assert.match(await page.locator('.chart .now').first().innerText(), /\/s$/);
    const load = await pageLoad(page);
    context.diagnostic(`every view opened, uPlot included: ${load.files} files, ${load.fileBytes} bytes of them`);
    await saveScreenshot(page, 'console-health');
  });

  it('offers a ROLE_USER no admin or sandbox control, and the API refuses them anyway', async () => {
    // The admin creates the account in the Users view.
    await openView(admin.page, 'Users');
    const create = admin.page.getByRole('form', { name: 'New user' });
    await create.getByLabel('Username').fill(USER);
    await create.getByLabel('Password').fill(USER_PASSWORD);
    await create.getByRole('button', { name: 'Create user' }).click();
    await create.getByText(`User ${USER} created (ROLE_USER).`).waitFor();
    const userToken = await t.login(USER, USER_PASSWORD);
    const { page } = await open();
    await page.goto(`${origin}/console/conversations/${CUSTOMER}`);
    await logIn(page, USER, USER_PASSWORD);
    assert.deepEqual(await menuOf(page), ['Conversations', 'Account', 'Health']);
    await page.getByRole('log').getByText('It ships today.').waitFor();
    assert.equal(await page.getByRole('complementary', { name: 'The customer (sandbox)' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Customer' }).count(), 0);
    assert.equal(
      await page.getByRole('textbox', { name: /as the business/ }).count(),
      1,
      'a user may send as the business',
    );
    await goTo(page, 'deliveries');
    await page.getByText('This view is not available to your account on this node.').waitFor();

    for (const [method, url, body] of [
      ['GET', '/x/v1/webhooks/deliveries'],
      ['POST', '/x/v1/webhooks/deliveries/replay'],
      ['GET', '/sandbox/templates'],
      ['PATCH', `/sandbox/customers/${CUSTOMER}`, { online: false }],
      ['POST', '/sandbox/inbound', { from: CUSTOMER, type: 'text', text: { body: 'x' } }],
      ['PATCH', '/v1/settings/application', { callback_persist: false }],
      ['POST', '/v1/users', { username: 'sneaky1', password: 'Sneaky-Pass1!' }],
    ] as const) {
      const response = await t.request({ method, url, token: userToken, ...(body ? { body } : {}) });
      assert.equal(response.status, 403, `${method} ${url}`);
    }
  });

  it('reads well at 360 px: no sideways scrolling, one pane at a time', async () => {
    const { page } = await open({ width: 360, height: 740 });
    await page.goto(`${origin}/console/`);
    await logIn(page, 'admin', ADMIN_PASSWORD);
    assert.equal(await scrollsSideways(page), false, 'the conversation list');
    await page.getByRole('link', { name: /Kerry/ }).click();
    await page.getByRole('log').getByText('It ships today.').waitFor();
    assert.equal(await page.locator('.conversation-list').isVisible(), false, 'the list gives way to the chat');
    assert.equal(await scrollsSideways(page), false, 'the chat');
    await saveScreenshot(page, 'console-chat-mobile');
    await page.getByRole('button', { name: 'Customer' }).click();
    await page.getByLabel('Online').waitFor();
    assert.equal(await scrollsSideways(page), false, 'the customer panel');
    for (const view of ['Webhooks', 'Templates', 'Settings', 'Users', 'Health']) {
      await openView(page, view);
      await page.locator('main h1').waitFor();
      assert.equal(await scrollsSideways(page), false, view);
    }
  });
});
