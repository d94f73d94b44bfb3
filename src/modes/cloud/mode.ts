// The cloud mode (WA_GATEWAY=cloud): one Graph client (one connection pool) shared by the gateway and every
// service that differs on cloud. Each wrapper takes the local service it stands in for, so the operations Cloud has
// no equivalent of stay local (docs/api/cloud-bridge.md#what-maps-where); each is built here after what it uses.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CloudConfig } from '../../config.js';
import { createCloudMediaRepository } from '../../db/repositories/cloud-media.js';
import { createCloudWaIdsRepository } from '../../db/repositories/cloud-wa-ids.js';
import type { WaId } from '../../lib/phone.js';
import type { Metrics } from '../../metrics.js';
import type { CloudParts, Mode, ModeInputs } from '../mode.js';
import { createCloudAccount } from './cloud-account.js';
import { createCloudCompliance } from './cloud-compliance.js';
import { createCloudGateway } from './cloud-gateway.js';
import { createCloudMedia } from './cloud-media.js';
import { createCloudProfile } from './cloud-profile.js';
import { createCloudInbox } from './cloud-read.js';
import { createCloudSender } from './cloud-sender.js';
import { createGraphClient, type GraphClientOptions } from './graph-client.js';
import { createCloudInbound, type AdoptInboundMedia } from './inbound/index.js';

const FIRST_STATUS_WAIT_MS = 2000;

interface CloudModeOptions {
  /** Replaces the inbound half's media adoption (tests give a fake one); the cloud media map's by default. */
  adoptInboundMedia?: AdoptInboundMedia | undefined;
}

export async function openCloudMode(
  config: CloudConfig,
  inputs: ModeInputs,
  options: CloudModeOptions = {},
): Promise<Mode> {
  const { db, clock, log, metrics, signals, phones, business, businessWaId, settings, identities, messages, local } =
    inputs;
  const graph = createGraphClient(config, graphEvents(log, metrics));
  const pnid = config.phoneNumberId;
  const gateway = createCloudGateway(graph, pnid, { log });
  // Before the first request, when Meta answers soon: /v1/health and the registration guard answer from its fields
  // at once. Never throws; a Graph that does not answer within 2 s (a start is no place to wait WA_CLOUD_TIMEOUT_MS)
  // leaves the node `connecting` until the read ends in the background.
  await Promise.race([gateway.refresh(), sleep(FIRST_STATUS_WAIT_MS, undefined, { ref: false })]);
  const waIds = createCloudWaIdsRepository(db.db);
  const media = createCloudMedia({
    local: local.media,
    localRepository: inputs.mediaRepository,
    map: createCloudMediaRepository(db.db),
    graph,
    phoneNumberId: pnid,
    clock,
  });
  const parts: CloudParts = { gateway, adoptInboundMedia: (file, how) => media.adoptInboundMedia(file, how) };
  const inbound = createCloudInbound({
    config,
    db,
    settings,
    identities,
    clock,
    metrics,
    log,
    adoptInboundMedia: options.adoptInboundMedia ?? parts.adoptInboundMedia,
    onCallbacks: signals.callbacksWritten.notify,
    changes: messages,
    messages,
  });
  return {
    gateway,
    sender: createCloudSender({
      graph,
      phoneNumberId: pnid,
      messages,
      waIds,
      phones,
      clock,
      businessWaId,
      checkRecipient: (waId: WaId) => identities.checkRecipient(waId),
      media: { missing: (ids) => inputs.mediaRepository.missing(ids), cloudIds: (ids) => media.cloudIds(ids) },
    }),
    inbox: createCloudInbox(local.inbox, { graph, phoneNumberId: pnid, messages, clock }),
    media,
    profile: createCloudProfile({ local: local.profile, graph, phoneNumberId: pnid, appId: config.appId }),
    account: createCloudAccount({ local: local.account, graph, gateway, phoneNumberId: pnid, business }),
    compliance: createCloudCompliance({ graph, phoneNumberId: pnid }),
    realWaIds: (dialled) => waIds.find(dialled),
    routes: { kind: 'cloud', webhooks: inbound.intake },
    // Off the sandbox there is no simulated network to schedule.
    singletonWork: [],
    parts: { sandboxNetwork: null, sandboxTemplates: null, cloud: parts, cloudInbound: inbound.worker },
    start() {
      gateway.start();
      inbound.worker.start();
    },
    stop: () => inbound.worker.stop(),
    close: () => gateway.close(),
  };
}

/** What the Graph client reports: throttling and refusals in the log, each call's duration in the metrics. */
function graphEvents(log: ModeInputs['log'], metrics: Metrics): GraphClientOptions {
  return {
    onThrottled: (code, attempt) =>
      log.warn({ cloudCode: code, attempt }, 'the Cloud API throttled a call; retrying after a backoff'),
    onCredentialsRefused: (metaSaid) =>
      log.error(
        { meta: metaSaid },
        'the Cloud API refused WA_CLOUD_ACCESS_TOKEN: renew it (every Cloud call fails until then)',
      ),
    onMetaError: (call, failure, metaSaid) =>
      log.warn(
        {
          call: `${call.method} ${call.path}`,
          httpStatus: failure.httpStatus,
          cloudCode: failure.cloudCode,
          fbtraceId: failure.fbtraceId,
          meta: metaSaid,
        },
        'the Cloud API answered an error',
      ),
    observe: (result, seconds) => metrics.cloudGraphDuration.observe({ result }, seconds),
  };
}
