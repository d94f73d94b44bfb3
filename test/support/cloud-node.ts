// The cloud suites' common start: a fresh fake Graph API, a node on the cloud gateway pointed at it, and an admin
// token. With `webhooks`, the node also listens on a loopback port and the fake posts Meta's webhooks (statuses of
// every accepted send, customers' messages) to its /cloud/webhook. Both close when the scope ends.
import type { AddressInfo } from 'node:net';
import { cloudEnv, startFakeGraph, type FakeGraph } from './fake-graph.js';
import { startTestNode, type Scope, type StartOptions, type TestNode } from './harness.js';

export interface CloudNode {
  fake: FakeGraph;
  t: TestNode;
  admin: string;
}

export interface CloudNodeOptions extends StartOptions {
  /** The fake posts Meta's webhooks to the node (off: the fake is Graph's request side only). */
  webhooks?: boolean;
}

export async function startCloudNode(
  scope: Scope,
  { webhooks = false, ...options }: CloudNodeOptions = {},
): Promise<CloudNode> {
  const fake = await startFakeGraph();
  scope.after(() => fake.close());
  const t = await startTestNode(scope, { ...options, env: { ...cloudEnv(fake), ...options.env } });
  if (webhooks) {
    await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.node.app.server.server.address() as AddressInfo;
    fake.webhookTarget = { url: `http://127.0.0.1:${port}/cloud/webhook`, appSecret: t.env.WA_CLOUD_APP_SECRET! };
  }
  return { fake, t, admin: await t.adminToken() };
}
