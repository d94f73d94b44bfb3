// The cloud gateway's inbound half as the composition root wires it: the store of Meta's webhooks, the door they
// come in by (intake, behind /cloud/webhook) and the worker that turns them into On-Prem callbacks.
import type { CloudConfig } from '../../../config.js';
import { createCloudWebhooksRepository } from '../../../db/repositories/cloud-webhooks.js';
import { createMessagesRepository, type MessagesRepository } from '../../../db/repositories/messages.js';
import type { DatabaseHandle } from '../../../db/database.js';
import { createCloudWebhookIntake, type CloudWebhookIntake } from './intake.js';
import type { AdoptInboundMedia } from './messages.js';
import { createCloudInboundWorker, type CloudInboundDeps, type CloudInboundWorker } from './worker.js';

export type { AdoptInboundMedia } from './messages.js';
export type { CloudWebhookIntake } from './intake.js';
export type { CloudInboundWorker } from './worker.js';

export interface CloudInboundWiring
  extends Omit<CloudInboundDeps, 'db' | 'repository' | 'phoneNumberId' | 'adoptInboundMedia' | 'messages'> {
  config: CloudConfig;
  db: DatabaseHandle;
  /** The node's messages repository; by default one over `db` that tells `changes`. */
  messages?: MessagesRepository;
  /** The cloud media map's adoption (src/modes/cloud/cloud-media.ts); tests give a fake one. */
  adoptInboundMedia: AdoptInboundMedia;
}

export function createCloudInbound({ config, db, adoptInboundMedia, messages, ...deps }: CloudInboundWiring): {
  worker: CloudInboundWorker;
  intake: CloudWebhookIntake;
} {
  const repository = createCloudWebhooksRepository(db.db, db.dialect);
  const worker = createCloudInboundWorker({
    ...deps,
    db: db.db,
    repository,
    phoneNumberId: config.phoneNumberId,
    adoptInboundMedia,
    messages: messages ?? createMessagesRepository(db.db, db.dialect, deps.changes),
  });
  const intake = createCloudWebhookIntake({
    repository,
    clock: deps.clock,
    metrics: deps.metrics,
    appSecret: config.appSecret,
    verifyToken: config.verifyToken,
    onStored: () => worker.wake(),
  });
  return { worker, intake };
}
