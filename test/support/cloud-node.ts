// The cloud suites' common start: a fresh fake Graph API, a node on the cloud gateway pointed at it, and an admin
// token. `close` stops both.
import { cloudEnv, startFakeGraph, type FakeGraph } from './fake-graph.js';
import { startTestNode, type StartOptions, type TestNode } from './harness.js';

export interface CloudNode {
  fake: FakeGraph;
  t: TestNode;
  admin: string;
  close(): Promise<void>;
}

export async function startCloudNode(options: StartOptions = {}): Promise<CloudNode> {
  const fake = await startFakeGraph();
  const t = await startTestNode({ ...options, env: { ...cloudEnv(fake), ...options.env } });
  return {
    fake, t, admin: await t.adminToken(),
    async close() {
      await t.close();
      await fake.close();
    },
  };
}
