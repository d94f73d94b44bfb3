// The cloud gateway's parts, built once by node.ts when WA_GATEWAY=cloud: one Graph client (one connection pool)
// shared by the gateway and every service that differs on cloud. Each factory takes the sandbox service it stands
// in for, so the operations Cloud has no equivalent of stay local (docs/api/cloud-bridge.md#what-maps-where).
import type { Logger } from 'pino';
import type { CloudConfig } from '../../config.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createCloudMediaRepository } from '../../db/repositories/cloud-media.js';
import { createCloudWaIdsRepository } from '../../db/repositories/cloud-wa-ids.js';
import type { MediaRepository } from '../../db/repositories/media.js';
import type { MessagesRepository } from '../../db/repositories/messages.js';
import type { Clock } from '../../lib/clock.js';
import type { Metrics } from '../../metrics.js';
import type { PhoneNumberReader, WaId } from '../../lib/phone.js';
import type { AccountService } from '../../services/account.js';
import type { BusinessNumber } from '../../services/account-rules.js';
import type { MediaService } from '../../services/media/media-service.js';
import type { Inbox } from '../../services/messages/inbox.js';
import type { MessageSender } from '../../services/messages/sender.js';
import type { ProfileService } from '../../services/profile.js';
import { createCloudAccount } from './cloud-account.js';
import { createCloudGateway, type CloudGateway } from './cloud-gateway.js';
import { createCloudMedia, type CloudMedia } from './cloud-media.js';
import { createCloudProfile } from './cloud-profile.js';
import { createCloudCompliance } from './cloud-compliance.js';
import { createCloudInbox } from './cloud-read.js';
import { createCloudSender } from './cloud-sender.js';
import { createGraphClient } from './graph-client.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CloudStackDeps {
  config: CloudConfig;
  db: DatabaseHandle;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
}

export interface CloudSenderInputs {
  messages: MessagesRepository;
  missingMedia(ids: readonly string[]): Promise<string[]>;
  phones: PhoneNumberReader;
  businessWaId: string;
  checkRecipient(waId: WaId): Promise<void> | undefined;
}

const FIRST_STATUS_WAIT_MS = 2000;

export async function createCloudStack({ config, db, clock, log, metrics }: CloudStackDeps) {
  const graph = createGraphClient(config, {
    onThrottled: (code, attempt) => log.warn({ cloudCode: code, attempt }, 'the Cloud API throttled a call; retrying after a backoff'),
    onCredentialsRefused: (metaSaid) => log.error({ meta: metaSaid }, 'the Cloud API refused WA_CLOUD_ACCESS_TOKEN: renew it (every Cloud call fails until then)'),
    onMetaError: (call, failure, metaSaid) => log.warn({
      call: `${call.method} ${call.path}`, httpStatus: failure.httpStatus, cloudCode: failure.cloudCode, fbtraceId: failure.fbtraceId, meta: metaSaid,
    }, 'the Cloud API answered an error'),
    observe: (result, seconds) => metrics.cloudGraphDuration.observe({ result }, seconds),
  });
  const gateway: CloudGateway = createCloudGateway(graph, config.phoneNumberId, { log });
  // Before the first request, when Meta answers soon: /v1/health and the registration guard answer from its fields
  // at once. Never throws; a Graph that does not answer within 2 s (a start is no place to wait WA_CLOUD_TIMEOUT_MS)
  // leaves the node `connecting` until the read ends in the background.
  await Promise.race([gateway.refresh(), sleep(FIRST_STATUS_WAIT_MS, undefined, { ref: false })]);
  const waIds = createCloudWaIdsRepository(db.db);
  const mediaMap = createCloudMediaRepository(db.db);
  const pnid = config.phoneNumberId;
  let cloudMedia: CloudMedia | null = null;

  return {
    gateway,
    graph,
    /** The media service in force on cloud; null until node.ts built it. */
    get cloudMedia(): CloudMedia | null {
      return cloudMedia;
    },
    /** What POST /v1/contacts answers as wa_id once a send revealed the real one. */
    realWaIds: (dialled: readonly WaId[]) => waIds.find(dialled),
    media(local: MediaService, localRepository: MediaRepository): MediaService {
      cloudMedia = createCloudMedia({ local, localRepository, map: mediaMap, graph, phoneNumberId: pnid, clock });
      return cloudMedia;
    },
    sender(inputs: CloudSenderInputs): MessageSender {
      const media = cloudMedia;
      if (!media) throw new Error('the cloud media service must be built before the sender');
      return createCloudSender({
        graph, phoneNumberId: pnid, messages: inputs.messages, waIds, phones: inputs.phones, clock, businessWaId: inputs.businessWaId,
        checkRecipient: inputs.checkRecipient, media: { missing: inputs.missingMedia, cloudIds: (ids) => media.cloudIds(ids) },
      });
    },
    inbox: (local: Inbox, messages: MessagesRepository) => createCloudInbox(local, { graph, phoneNumberId: pnid, messages, clock }),
    profile: (local: ProfileService) => createCloudProfile({ local, graph, phoneNumberId: pnid, appId: config.appId }),
    compliance: () => createCloudCompliance({ graph, phoneNumberId: pnid }),
    account: (local: AccountService, business: BusinessNumber) => createCloudAccount({ local, graph, gateway, phoneNumberId: pnid, business }),
    /**
     * For the inbound half (webhooks from Meta): the local media id of a Cloud media, the same one every time for
     * the same Cloud id; with `download` the bytes are fetched into the local store now.
     */
    adoptInboundMedia(media: { id: string; mime_type: string; sha256?: string; filename?: string }, options: { download: boolean }): Promise<string> {
      if (!cloudMedia) throw new Error('the cloud media service is not built yet');
      return cloudMedia.adoptInboundMedia(media, options);
    },
  };
}

export type CloudStack = Awaited<ReturnType<typeof createCloudStack>>;
