// Durability under SIGKILL: every message acknowledged with 201 and every callback it causes is delivered after
// the server is killed between acceptance and delivery and started again on the same database.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/harness.js';
import { startServer } from '../support/process.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const ADMIN_PASSWORD = 'Crash-Admin-Pass1!';
const CUSTOMER = '16315554242';
const MESSAGES = 25;

describe('a server killed with SIGKILL', () => {
  let dataDir: string;
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  let env: Record<string, string>;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-crash-'));
    database = await createTestDatabase(dataDir);
    receiver = await startWebhookReceiver();
    // Statuses within a few ms, so everything but the webhook is done quickly; the receiver starts down.
    env = {
      ...database.env,
      WA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WA_SANDBOX_DELAYS: 'sent:0,delivered:10,read:20',
      WA_RATE_LIMIT_MESSAGES: 'off',
      WA_RATE_LIMIT_DEFAULT: 'off',
    };
    await receiver.stop();
  });
  after(async () => {
    await receiver.close().catch(() => {});
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers every acknowledged message and callback after a restart', async () => {
    const first = await startServer(env);
    const call = async (url: string, method: string, token: string | null, body?: unknown) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      headers.authorization = token
        ? `Bearer ${token}`
        : `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      const response = await fetch(`${url}${method === 'LOGIN' ? '/v1/users/login' : ''}`, {
        method: method === 'LOGIN' ? 'POST' : method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    let ids: string[] = [];
    let inboundId: string;
    try {
      const login = await call(first.url, 'LOGIN', null);
      assert.equal(login.status, 200, JSON.stringify(login.body));
      const token = login.body.users[0].token as string;
      const patched = await call(`${first.url}/v1/settings/application`, 'PATCH', token, {
        webhooks: { url: receiver.url, message: { sent: true } },
        callback_backoff_delay_ms: 100,
        max_callback_backoff_delay_ms: 500,
      });
      assert.equal(patched.status, 200);
      const inbound = await call(`${first.url}/sandbox/inbound`, 'POST', token, {
        from: CUSTOMER,
        type: 'text',
        text: { body: 'hello' },
      });
      assert.equal(inbound.status, 201);
      inboundId = inbound.body.messages[0].id;
      const sends = await Promise.all(
        Array.from({ length: MESSAGES }, (_, i) =>
          call(`${first.url}/v1/messages`, 'POST', token, { to: CUSTOMER, text: { body: `message ${i}` } }),
        ),
      );
      assert.deepEqual(
        sends.map((r) => r.status),
        Array(MESSAGES).fill(201),
      );
      ids = sends.map((r) => r.body.messages[0].id as string);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }

    await receiver.restart();
    const second = await startServer(env);
    try {
      const statuses = () =>
        receiver.received.flatMap((r) => (r.body?.statuses ?? []) as { id: string; status: string }[]);
      const statusesOf = (id: string) =>
        [
          ...new Set(
            statuses()
              .filter((s) => s.id === id)
              .map((s) => s.status),
          ),
        ].sort();
      // On PostgreSQL the callbacks the dead node had claimed wait for its lease (30 s) to run out.
      // The inbound callback failed the most attempts while the receiver was down, so its retry can come after the
      // statuses' (backoff up to 500 ms): wait for both rather than assume an order.
      const inboundDelivered = () => receiver.received.some((r) => r.body?.messages?.[0]?.id === inboundId!);
      const complete = () => inboundDelivered() && ids.every((id) => statusesOf(id).length === 3);
      await eventually(async () => (complete() ? true : undefined), 60_000);
      for (const id of ids) assert.deepEqual(statusesOf(id), ['delivered', 'read', 'sent'], id);
      assert.ok(inboundDelivered(), 'the inbound message was delivered');
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }
  });
});
