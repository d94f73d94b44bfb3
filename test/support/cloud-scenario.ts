// A node on the cloud gateway with a real webhook receiver on loopback, a fake inbound media map standing in for
// the outbound half's (src/modes/cloud/cloud-media.ts), and steps that translate and deliver what Meta posted.
import assert from 'node:assert/strict';
import type { AdoptInboundMedia } from '../../src/modes/cloud/inbound/messages.js';
import { CLOUD_ENV, CUSTOMER, postCloudWebhook } from './cloud-webhooks.js';
import { FAKE_TOKEN, startFakeGraph, type FakeGraph } from './fake-graph.js';
import { applicationSettings } from './messaging.js';
import { startTestNode, type Scope, type StartOptions, type TestNode, type TestResponse } from './harness.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

interface AdoptedMedia {
  cloudId: string;
  mimeType: string;
  sha256: string | undefined;
  filename: string | undefined;
  download: boolean;
}

/** Maps a Cloud media id to `local-<id>`, as the real map does once per Cloud id; can be told to fail. */
function createFakeMediaMap() {
  const adopted: AdoptedMedia[] = [];
  let failure: Error | null = null;
  const adopt: AdoptInboundMedia = async (media, options) => {
    if (failure) throw failure;
    adopted.push({
      cloudId: media.id,
      mimeType: media.mime_type,
      sha256: media.sha256,
      filename: media.filename,
      download: options.download,
    });
    return `local-${media.id}`;
  };
  return {
    adopt,
    adopted,
    failWith(error: Error | null) {
      failure = error;
    },
  };
}

export interface CloudScenario {
  t: TestNode;
  /** Meta's Graph API as the outbound half talks to it (mark-read, media downloads). */
  graph: FakeGraph;
  receiver: WebhookReceiver;
  media: ReturnType<typeof createFakeMediaMap>;
  admin: string;
  /** POSTs a signed webhook and asserts Meta got its 200. */
  post(body: Record<string, unknown>): Promise<TestResponse>;
  /** Translates every stored webhook due now and delivers every callback due. */
  deliver(): Promise<void>;
  /** Bodies the integration received, in arrival order. */
  callbacks(): any[];
  settings(body: object): Promise<void>;
  /** An outbound message as the cloud gateway stores a send Meta accepted (id = the wamid, status accepted). */
  insertSent(wamid: string, waId?: string): Promise<void>;
}

export interface CloudScenarioOptions extends StartOptions {
  /** Adopt inbound media through the real cloud media map (against the fake Graph) instead of the fake map. */
  realMediaMap?: boolean;
}

/** The node, its receiver and the fake Graph API, all closed when `scope` ends. */
export async function startCloudScenario(
  scope: Scope,
  { realMediaMap = false, ...options }: CloudScenarioOptions = {},
): Promise<CloudScenario> {
  const receiver = await startWebhookReceiver();
  scope.after(() => receiver.close());
  const graph = await startFakeGraph();
  scope.after(() => graph.close());
  const media = createFakeMediaMap();
  const env = { ...CLOUD_ENV, WA_CLOUD_BASE_URL: graph.url, WA_CLOUD_ACCESS_TOKEN: FAKE_TOKEN, ...options.env };
  const t = await startTestNode(scope, {
    ...(realMediaMap ? {} : { adoptInboundMedia: media.adopt }),
    ...options,
    env,
  });
  const admin = await t.adminToken();
  const settings = applicationSettings(t, admin);
  await settings({ webhooks: { url: receiver.url } });
  return {
    t,
    graph,
    receiver,
    media,
    admin,
    async post(body) {
      const response = await postCloudWebhook(t, body);
      assert.equal(response.status, 200, response.text);
      return response;
    },
    async deliver() {
      await t.node.cloudInbound!.runOnce();
      await t.node.webhooks.dispatcher.runOnce();
    },
    callbacks: () => receiver.received.map((r) => r.body),
    settings,
    async insertSent(wamid, waId = CUSTOMER.waId) {
      const now = t.clock.now();
      await t.node.db.db
        .insertInto('messages')
        .values({
          id: wamid,
          direction: 'out',
          wa_id: waId,
          type: 'text',
          content: JSON.stringify({ message: { type: 'text', text: { body: 'hi' } } }),
          status: 'accepted',
          context_id: null,
          error_code: null,
          category: null,
          conversation_id: null,
          created_at: now,
          sent_at: null,
          delivered_at: null,
          read_at: null,
          updated_at: now,
        })
        .execute();
    },
  };
}
