// Helpers for messaging scenarios: a node with a real webhook receiver on loopback, and steps that move the
// simulated network forward on the injected clock.
import assert from 'node:assert/strict';
import { startTestNode, type Scope, type StartOptions, type TestNode } from './harness.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
import { startFileServer, type FileServer } from './file-server.js';

export interface MessagingScenario {
  t: TestNode;
  receiver: WebhookReceiver;
  /** A loopback file server for media links; it and the receiver are on the node's WA_MEDIA_LINK_ALLOW. */
  files: FileServer;
  admin: string;
  /** POST /v1/messages; asserts 201 and answers the message id. */
  send(body: Record<string, unknown>): Promise<string>;
  /** POST /sandbox/inbound; asserts 201 and answers the inbound id. */
  inbound(body: Record<string, unknown>): Promise<string>;
  /** Moves the clock, runs the network and delivers every callback due. */
  advance(ms: number): Promise<void>;
  /** The statuses the receiver got for one message, in arrival order. */
  statusesOf(id: string): { status: string; [key: string]: any }[];
  settings(body: object): Promise<void>;
  customer(waId: string, changes: object): Promise<void>;
}

/** PATCH /v1/settings/application as `admin`, asserting the 200: the scenarios' way to change settings. */
export function applicationSettings(t: TestNode, admin: string): (body: object) => Promise<void> {
  return async (body) => {
    const response = await t.request({ method: 'PATCH', url: '/v1/settings/application', token: admin, body });
    assert.equal(response.status, 200, response.text);
  };
}

/** The node, its receiver and its file server, all closed when `scope` ends. */
export async function startMessagingScenario(scope: Scope, options: StartOptions = {}): Promise<MessagingScenario> {
  const receiver = await startWebhookReceiver();
  scope.after(() => receiver.close());
  const files = await startFileServer();
  scope.after(() => files.close());
  // Loopback is refused to media links unless listed: the scenario lists its own two servers, and only them.
  const allow = `${new URL(receiver.url).host},${files.host}`;
  const t = await startTestNode(scope, { ...options, env: { WA_MEDIA_LINK_ALLOW: allow, ...options.env } });
  const admin = await t.adminToken();
  const settings = applicationSettings(t, admin);
  await settings({ webhooks: { url: receiver.url } });
  return {
    t,
    receiver,
    files,
    admin,
    async send(body) {
      const response = await t.request({ method: 'POST', url: '/v1/messages', token: admin, body });
      assert.equal(response.status, 201, response.text);
      return response.body.messages[0].id as string;
    },
    async inbound(body) {
      const response = await t.request({ method: 'POST', url: '/sandbox/inbound', token: admin, body });
      assert.equal(response.status, 201, response.text);
      return response.body.messages[0].id as string;
    },
    async advance(ms) {
      t.clock.advance(ms);
      await t.node.sandboxNetwork!.runOnce();
      await t.node.webhooks.dispatcher.runOnce();
    },
    statusesOf(id) {
      return receiver.received.flatMap((r) => (r.body?.statuses ?? []) as any[]).filter((s) => s.id === id);
    },
    settings,
    async customer(waId, changes) {
      const response = await t.request({
        method: 'PATCH',
        url: `/sandbox/customers/${waId}`,
        token: admin,
        body: changes,
      });
      assert.equal(response.status, 200, response.text);
    },
  };
}
