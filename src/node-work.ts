// The parts of a node that need both the shared domain (src/domain.ts) and the mode (src/modes/mode.ts): contact
// look-ups go to the mode's network, media retention forgets the mode's files, a backup restores the mode's
// templates, and the cluster runs the mode's singleton work beside the domain's. Built by node.ts once both exist.
import { createCluster, type Cluster, type NodeIdentity } from './cluster/cluster.js';
import type { createClusterMetrics } from './cluster/cluster-metrics.js';
import { announcingRestore, wireInvalidation } from './cluster/invalidation.js';
import { createClusterRepository } from './db/repositories/cluster.js';
import type { openDomain } from './domain.js';
import type { SecretsSealer } from './lib/sealed-secrets.js';
import type { Gateway } from './modes/gateway.js';
import type { Mode, NodeContext } from './modes/mode.js';
import { createBackupService } from './services/backup/backup.js';
import { backupSections } from './services/backup/sections.js';
import { createContactLookupWorker } from './services/contact-lookup-worker.js';
import { createContactsService } from './services/contacts.js';
import { createMediaRetention } from './services/media/retention.js';

export interface NodeWorkInputs {
  context: NodeContext;
  domain: Awaited<ReturnType<typeof openDomain>>;
  mode: Mode;
  /** The mode's gateway, or a test's wrapper of it (NodeOptions.wrapGateway). */
  gateway: Gateway;
  node: NodeIdentity;
  sealer: SecretsSealer;
  productVersion: string;
  clusterMetrics: ReturnType<typeof createClusterMetrics>;
}

export function openNodeWork({
  context,
  domain,
  mode,
  gateway,
  node,
  sealer,
  productVersion,
  clusterMetrics,
}: NodeWorkInputs) {
  const { config, db, bus, clock, log, signals } = context;
  const { settings, identities, authenticator } = domain;
  const lookupWorker = createContactLookupWorker(
    domain.lookupsRepo,
    gateway,
    clock,
    log,
    signals.callbacksWritten.notify,
  );
  signals.lookupQueued.on(() => lookupWorker.wake());
  const contacts = createContactsService({
    contacts: domain.contactsRepo,
    lookups: domain.lookupsRepo,
    network: gateway,
    phones: domain.phones,
    clock,
    onLookupQueued: signals.lookupQueued.notify,
    realWaIds: mode.realWaIds,
  });
  const mediaRetention = createMediaRetention({
    media: mode.media,
    repository: domain.mediaRepository,
    settings,
    clock,
    retentionMs: config.media.retentionMs,
    intervalMs: config.media.gcIntervalMs,
    log,
  });
  const restorable = { settings, account: domain.local.account, templates: mode.parts.sandboxTemplates };
  const sections = backupSections({
    clock,
    business: domain.business,
    authenticator,
    sealer,
    ...announcingRestore(bus, restorable),
  });
  const backup = createBackupService({ db: db.db, clock, productVersion, log, sections });
  wireInvalidation(bus, { ...restorable, authenticator, certificates: domain.certificates, identities });
  // The singleton work runs on the node holding the leader lease; the others wake it through the bus.
  const cluster: Cluster = createCluster({
    repository: createClusterRepository(db.db),
    bus,
    node,
    multiNode: db.dialect === 'postgres',
    clock,
    settings,
    gatewayStatus: () => gateway.status(),
    metrics: clusterMetrics,
    log,
    work: [...mode.singletonWork, domain.garbageCollector, mediaRetention],
  });
  signals.sendAccepted.on(() => cluster.wake('network'));
  signals.customerOnline.on(() => cluster.wake('network'));
  return { lookupWorker, contacts, mediaRetention, backup, cluster };
}
