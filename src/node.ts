// The composition root shared by `openprem start` and the tests: configuration in, a running node out.
// openDatabase → migrate → repositories → gateway → services → buildApp → workers.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Logger } from 'pino';
import { createLogger } from './lib/logger.js';
import { buildApp, type App } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { releaseLeasesOfDeadProcess } from './db/leases.js';
import { createAuthTokensRepository } from './db/repositories/auth-tokens.js';
import { createContactLookupsRepository } from './db/repositories/contact-lookups.js';
import { createContactsRepository } from './db/repositories/contacts.js';
import { createSandboxCustomersRepository } from './db/repositories/sandbox-customers.js';
import { createInstallationRepository } from './db/repositories/installation.js';
import { createSettingsRepository } from './db/repositories/settings.js';
import { createWebhookOutboxRepository, type WebhookOutboxRepository } from './db/repositories/webhook-outbox.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './outbox/dispatcher.js';
import { createDeliveryNumbers } from './outbox/delivery-numbers.js';
import { createWebhookSender } from './outbox/http-sender.js';
import { createUsersRepository } from './db/repositories/users.js';
import type { Gateway } from './gateway/gateway.js';
import { createSandboxDirectory } from './gateway/sandbox/directory.js';
import { createSandboxGateway } from './gateway/sandbox/sandbox-gateway.js';
import { createCustomerMessages } from './gateway/sandbox/customer-messages.js';
import { createRetentionRepository } from './db/repositories/retention.js';
import { createGarbageCollector, type GarbageCollector } from './services/garbage-collector.js';
import { createCustomerMedia } from './gateway/sandbox/customer-media.js';
import { createSandboxNetwork, type SandboxNetwork } from './gateway/sandbox/network.js';
import { createLinkChecker } from './gateway/sandbox/media-links.js';
import { createMediaRepository } from './db/repositories/media.js';
import { createDatabaseStore } from './services/media/database-store.js';
import { createDirectoryStore } from './services/media/directory-store.js';
import { createLinkFetcher } from './services/media/link-fetcher.js';
import { createMediaService, type MediaService } from './services/media/media-service.js';
import { createMediaRetention, type MediaRetention } from './services/media/retention.js';
import { createMediaStorage } from './services/media/store.js';
import { createMessagesRepository } from './db/repositories/messages.js';
import { createInbox } from './services/messages/inbox.js';
import { createConversations } from './services/messages/conversations.js';
import { createConversationChanges } from './services/live/conversation-changes.js';
import { createDeliveryWatch } from './services/live/delivery-watch.js';
import { createConversationListRepository } from './db/repositories/conversation-list.js';
import { createMessageSender, type MessageSender } from './services/messages/sender.js';
import { createSandboxTemplatesRepository } from './db/repositories/sandbox-templates.js';
import { createSandboxTemplates, type SandboxTemplates } from './gateway/sandbox/templates.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createPhoneNumberReader, type WaId } from './lib/phone.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createContactLookupWorker, type ContactLookupWorker } from './services/contact-lookup-worker.js';
import { createContactsService } from './services/contacts.js';
import { createLoginThrottle } from './services/login-throttle.js';
import { createSettingsService, type SettingsService } from './services/settings.js';
import { createStatsService } from './services/stats.js';
import { reportStartNotices } from './services/start-notices.js';
import { createTokenAuthenticator } from './services/token-authenticator.js';
import { createUsersService, type UsersService } from './services/users.js';
import { createCertificatesRepository } from './db/repositories/certificates.js';
import { createCertificatesService, type CertificatesService } from './services/certificates.js';
import { readTlsFiles, resolveServerTls, serverNamesFor, type ServerTls } from './tls/server-tls.js';
import { createAccountRepository } from './db/repositories/account.js';
import { createAccountService, type AccountService } from './services/account.js';
import { splitNumber } from './services/account-rules.js';
import { createBackupService } from './services/backup/backup.js';
import { backupSections } from './services/backup/sections.js';
import { openSecretsSealer, sealSecretsAtRest } from './services/secrets-at-rest.js';
import { sqliteFiles, tightenPrivateFiles } from './lib/private-files.js';
import type { SecretsSealer } from './lib/sealed-secrets.js';
import { createContactIdentitiesRepository } from './db/repositories/contact-identities.js';
import { createProfileRepository } from './db/repositories/profile.js';
import { createStickerpacksRepository } from './db/repositories/stickerpacks.js';
import { createIdentitiesService, type IdentitiesService } from './services/identities.js';
import { createProfileService } from './services/profile.js';
import { createComplianceService } from './services/compliance.js';
import { createBusinessComplianceRepository } from './db/repositories/business-compliance.js';
import { createStickerpacksService } from './services/stickerpacks.js';
import { createCloudInbound, type AdoptInboundMedia, type CloudInboundWorker } from './gateway/cloud/inbound/index.js';
import { createCloudStack, type CloudStack } from './gateway/cloud/cloud-stack.js';
import { createClusterRepository } from './db/repositories/cluster.js';
import { createCluster, type Cluster } from './cluster/cluster.js';
import { createClusterMetrics } from './cluster/cluster-metrics.js';
import { announcingRestore, wireInvalidation } from './cluster/invalidation.js';
import { openClusterBus } from './cluster/open-bus.js';

export const PRODUCT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface NodeOptions {
  clock?: Clock;
  logger?: Logger;
  /** Lets a test put a gate in front of the network to hold requests in flight. */
  wrapGateway?: (gateway: Gateway) => Gateway;
  /** The cloud gateway's inbound media map (src/gateway/cloud/cloud-media.ts); tests give a fake one. */
  adoptInboundMedia?: AdoptInboundMedia;
}

export interface OpenPremNode {
  readonly app: App;
  readonly db: DatabaseHandle;
  readonly metrics: Metrics;
  readonly users: UsersService;
  readonly lookupWorker: ContactLookupWorker;
  /** The application settings in force on this node (re-read from the database every WA_SETTINGS_REFRESH_MS). */
  readonly settings: SettingsService;
  /** The node key sealing secrets in the database (src/services/secrets-at-rest.ts). */
  readonly sealer: SecretsSealer;
  readonly webhooks: { readonly outbox: WebhookOutboxRepository; readonly dispatcher: WebhookDispatcher };
  readonly messages: MessageSender;
  /** The simulated network's engine (tests move it on the injected clock); null off the sandbox. */
  readonly sandboxNetwork: SandboxNetwork | null;
  /** The sandbox's template registry; `check(send)` is what a template or hsm send goes through. Null off the sandbox. */
  readonly sandboxTemplates: SandboxTemplates | null;
  /** /v1/certificates: the uploaded certificate and the webhooks CA bundle in force on this node. */
  readonly certificates: CertificatesService;
  /** Which certificate this node serves: WA_TLS_CERT files, the uploaded one, the self-signed one; null for HTTP. */
  readonly tlsSource: ServerTls['source'];
  /** Unacknowledged identity changes; this node's copy is re-read every WA_SETTINGS_REFRESH_MS. */
  readonly identities: IdentitiesService;
  /** The cloud gateway's parts (adoptInboundMedia for the inbound half, the status refresh); null on the sandbox. */
  readonly cloud: CloudStack | null;
  /** Media files, and the retention pass (tests run it on the injected clock). */
  readonly media: { readonly service: MediaService; readonly retention: MediaRetention };
  readonly nodeKey: string;
  /** Forgets old finished messages, ended webhook deliveries and expired conversations, once a minute. */
  readonly garbageCollector: GarbageCollector;
  /** The business number's registration (re-read from the database every WA_SETTINGS_REFRESH_MS). */
  readonly account: AccountService;
  /** Translates Meta's stored webhooks into On-Prem callbacks (tests run it); null unless WA_GATEWAY=cloud. */
  readonly cloudInbound: CloudInboundWorker | null;
  /** Heartbeat, leader lease and live nodes (src/cluster/); `listenerPid` is the PostgreSQL LISTEN connection's. */
  readonly cluster: Pick<Cluster, 'heartbeat' | 'isLeader' | 'liveNodes'> & { listenerPid(): number | null };
  /** Stops accepting, finishes in-flight requests, stops the workers and closes the database. */
  close(): Promise<void>;
}

// `openprem start` makes the process's logger before the node (src/cli.ts).
export { createLogger };

export async function openNode(config: Config, options: NodeOptions = {}): Promise<OpenPremNode> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config);
  const nodeId = randomBytes(6).toString('hex');
  const node = { id: nodeId, hostname: os.hostname(), key: `${os.hostname()}:${nodeId}`, version: PRODUCT_VERSION, startedAt: clock.now() };
  const metrics = createMetrics(nodeId);
  // Certificate files that cannot serve stop the start before the database is opened or migrated.
  const tlsFiles = config.tls?.mode === 'files' ? await readTlsFiles(config.tls.certFile, config.tls.keyFile) : undefined;
  const sealer = await openSecretsSealer(config, logger);
  if (config.db.dialect === 'sqlite') await tightenPrivateFiles(sqliteFiles(config.db.file), logger);
  const db = openDatabase(
    config.db,
    ({ durationMs, failed }) => metrics.dbQueryDuration.observe({ result: failed ? 'error' : 'ok' }, durationMs / 1000),
    {
      onOpen(cause) {
        metrics.dbUnreachable.set(1);
        logger.error({ err: cause }, 'database unreachable: answering 503 / 1023 until a probe connects');
      },
      onClose(downForMs) {
        metrics.dbUnreachable.set(0);
        logger.warn({ downForMs }, 'database reachable again');
      },
    },
  );
  let closeBus: (() => Promise<void>) | undefined;
  try {
    await db.migrate();
    await releaseLeasesOfDeadProcess(db);
    await sealSecretsAtRest(db.db, db.dialect, sealer, logger, clock.now());
    // Cluster: the bus first, so that every cached service can announce its writes to the other nodes.
    const clusterMetrics = createClusterMetrics(metrics);
    const bus = openClusterBus(config.db, db.db, nodeId, clusterMetrics, logger);
    closeBus = () => bus.close();
    await bus.start();
    // The number this installation serves: Meta's on cloud, the simulated one on the sandbox.
    const businessWaId = config.cloud?.businessNumber ?? config.sandbox.businessNumber;
    const phones = createPhoneNumberReader(businessWaId);
    const usersRepo = createUsersRepository(db.db);
    const tokensRepo = createAuthTokensRepository(db.db);
    const contactsRepo = createContactsRepository(db.db);
    const lookupsRepo = createContactLookupsRepository(db.db, db.dialect);
    const onSandbox = config.cloud === null;
    const sandbox = createSandboxDirectory(createSandboxCustomersRepository(db.db), phones, clock);
    // Template changes made through another node are seen here when its notice arrives (at worst within
    // WA_SETTINGS_REFRESH_MS), like settings.
    const sandboxTemplates = createSandboxTemplates(createSandboxTemplatesRepository(db.db), clock, {
      cacheMs: config.settingsRefreshMs, announce: () => bus.publish('templates'),
    });
    const business = splitNumber(businessWaId);
    const localProfile = createProfileService({ repository: createProfileRepository(db.db), clock });
    const account = createAccountService({
      repository: createAccountRepository(db.db), clock, business, refreshMs: config.settingsRefreshMs, log: logger,
      announce: () => bus.publish('account'), verifyTwoStepPin: localProfile.verifyTwoStepPin,
    });
    // On cloud the registration lives at Meta (the gateway's status says it); the local row only keeps shards.
    const registrationIsNew = await account.ensureInitial(onSandbox ? config.sandbox.registered ?? true : true);
    await reportStartNotices({
      gateway: config.gateway, sandboxRegistered: config.sandbox.registered, registrationIsNew, connection: account.connection(),
      installation: createInstallationRepository(db.db), now: clock.now(), log: logger,
    });
    const cloud = config.cloud ? await createCloudStack({ config: config.cloud, db, clock, log: logger, metrics }) : null;
    const baseGateway = cloud ? cloud.gateway : createSandboxGateway(sandbox, account);
    const gateway = options.wrapGateway ? options.wrapGateway(baseGateway) : baseGateway;

    const authenticator = createTokenAuthenticator(tokensRepo, clock, config.tokenCacheMs, (kind, key) => bus.publish(kind, key));
    const users = createUsersService({ users: usersRepo, tokens: tokensRepo, authenticator, throttle: createLoginThrottle(clock), clock, log: logger });
    await users.ensureBuiltInAdmin(config.adminPassword);
    const settings = createSettingsService({
      repository: createSettingsRepository(db.db, sealer), clock, businessWaId,
      refreshMs: config.settingsRefreshMs, log: logger, announce: () => bus.publish('settings'),
    });
    // Before the app exists: the first request, and the first webhook pass, already see the stored settings.
    await settings.load();
    const certificatesRepo = createCertificatesRepository(db.db, sealer);
    const serverTls = await resolveServerTls({
      config, certificates: certificatesRepo, now: clock.now(), serverNames: serverNamesFor(config.host), log: logger, ...(tlsFiles ? { files: tlsFiles } : {}),
    });
    const certificates = createCertificatesService({
      repository: certificatesRepo, clock, refreshMs: config.settingsRefreshMs, selfSignedCa: serverTls.selfSignedCa, log: logger,
      announce: () => bus.publish('certificates'),
    });
    await certificates.load();
    const webhookSender = createWebhookSender(config.webhookTimeoutMs);
    webhookSender.trust(certificates.currentWebhooksCa());
    const outbox = createWebhookOutboxRepository(db.db, db.dialect);
    const deliveryNumbers = createDeliveryNumbers(outbox, clock);
    const dispatcher = createWebhookDispatcher({
      outbox, sender: webhookSender, settings, clock, metrics, log: logger, userAgent: `OpenPrem/${PRODUCT_VERSION}`,
      attemptTimeoutMs: config.webhookTimeoutMs, backlog: deliveryNumbers.backlog,
    });
    settings.onChange(() => dispatcher.wake());
    certificates.onWebhooksCaChange((bundle) => {
      webhookSender.trust(bundle);
      dispatcher.wake();
    });
    const identities = createIdentitiesService({
      repository: createContactIdentitiesRepository(db.db), settings, clock, refreshMs: config.settingsRefreshMs, log: logger,
      announce: (trx, waId) => bus.publishIn(trx, 'identity', waId),
    });
    await identities.load();
    const profile = cloud ? cloud.profile(localProfile) : localProfile;
    const compliance = cloud ? cloud.compliance() : createComplianceService({ repository: createBusinessComplianceRepository(db.db), clock });
    const stickerpacks = createStickerpacksService({ repository: createStickerpacksRepository(db.db), clock });
    const webhooks = { outbox, dispatcher, numbers: deliveryNumbers };
    const lookupWorker = createContactLookupWorker(lookupsRepo, gateway, clock, logger, () => dispatcher.wake());
    const contacts = createContactsService({
      contacts: contactsRepo, lookups: lookupsRepo, gateway, phones, clock, onLookupQueued: () => lookupWorker.wake(),
      ...(cloud ? { realWaIds: cloud.realWaIds } : {}),
    });
    // The console's live views: which conversations changed (here, or on another node through the bus).
    const conversationChanges = createConversationChanges(bus);
    const messagesRepo = createMessagesRepository(db.db, db.dialect, conversationChanges);
    const linkFetcher = createLinkFetcher({ allow: config.media.linkAllow, timeoutMs: config.media.linkTimeoutMs });
    const network = createSandboxNetwork({
      db: db.db, messages: messagesRepo, directory: sandbox, templates: sandboxTemplates, links: createLinkChecker(linkFetcher), settings, clock,
      delays: config.sandbox.delays, log: logger, metrics, onCallbacks: () => dispatcher.wake(),
      identities,
    });
    const media = createMediaRepository(db.db);
    const mediaStorage = createMediaStorage(config.media.store, { directory: createDirectoryStore(config.media.directory), database: createDatabaseStore(db.db) });
    const localMedia = createMediaService({ repository: media, storage: mediaStorage, clock, log: logger });
    const mediaService = cloud ? cloud.media(localMedia, media) : localMedia;
    const mediaRetention = createMediaRetention({
      media: mediaService, repository: media, settings, clock, retentionMs: config.media.retentionMs, intervalMs: config.media.gcIntervalMs, log: logger,
    });
    const checkRecipient = (waId: WaId) => identities.checkRecipient(waId);
    const sender = cloud
      ? cloud.sender({ messages: messagesRepo, missingMedia: (ids) => media.missing(ids), phones, businessWaId, checkRecipient })
      : createMessageSender({
        messages: messagesRepo, missingMedia: (ids) => media.missing(ids), phones, clock, businessWaId, onAccepted: () => cluster.wake('network'), checkRecipient,
      });
    const localInbox = createInbox({ db: db.db, messages: messagesRepo, clock, metrics, onCallbacks: () => dispatcher.wake(), identities });
    const inbox = cloud ? cloud.inbox(localInbox, messagesRepo) : localInbox;
    const sandboxCustomers = createCustomerMessages({
      phones, messages: messagesRepo, directory: sandbox, inbox, clock, businessWaId,
      identityOf: (waId) => identities.shownOnInbound(waId),
      media: { files: mediaService, links: linkFetcher, settings },
    });
    const conversations = createConversations({ messages: messagesRepo, repository: createConversationListRepository(db.db, db.dialect), clock });
    const sandboxMedia = createCustomerMedia({ messages: messagesRepo, files: mediaService, links: linkFetcher, settings });
    const garbageCollector = createGarbageCollector({
      retention: createRetentionRepository(db.db), settings, clock, days: config.retentionDays, metrics, log: logger,
    });
    const stats = createStatsService({
      metrics, users: usersRepo, tokens: tokensRepo, contacts: contactsRepo, lookups: lookupsRepo, outbox, clock, startedAt: node.startedAt,
    });

    const cloudInbound = cloud && config.cloud
      ? createCloudInbound({
        config: config.cloud, db, settings, identities, clock, metrics, log: logger,
        adoptInboundMedia: options.adoptInboundMedia ?? cloud.adoptInboundMedia,
        onCallbacks: () => dispatcher.wake(), changes: messagesRepo,
      })
      : null;

    const backup = createBackupService({
      db: db.db, clock, productVersion: PRODUCT_VERSION, log: logger,
      sections: backupSections({
        clock, business, authenticator, sealer, ...announcingRestore(bus, { settings, account, templates: onSandbox ? sandboxTemplates : null }),
      }),
    });
    wireInvalidation(bus, { authenticator, settings, account, certificates, identities, templates: sandboxTemplates });
    // The singleton work runs on the node holding the leader lease; the others wake it through the bus.
    const cluster = createCluster({
      repository: createClusterRepository(db.db), bus, node, multiNode: db.dialect === 'postgres', clock, settings,
      gatewayStatus: () => gateway.status(), metrics: clusterMetrics, log: logger,
      // Off the sandbox there is no simulated network to schedule.
      work: [...(onSandbox ? [{ name: 'network', start: network.start, stop: network.stop, wake: network.wake }] : []), garbageCollector, mediaRetention],
    });
    // A customer back online has receipts to deliver: the leader's network takes them now.
    sandbox.onUpdate(async () => cluster.wake('network'));

    const accountService = cloud ? cloud.account(account, business) : account;
    // Off the sandbox, its network, controls and templates do not exist: /sandbox/* answers 404.
    const app = await buildApp({
      config, node, db, gateway, metrics, phones, users, contacts, stats, settings, webhooks, clock, authenticator, logger,
      sandbox: onSandbox ? sandbox : null, sandboxTemplates: onSandbox ? sandboxTemplates : null,
      sandboxCustomers: onSandbox ? sandboxCustomers : null, sandboxMedia: onSandbox ? sandboxMedia : null,
      messages: { sender, inbox, repository: messagesRepo }, conversations, certificates, tls: serverTls.material,
      account: accountService, backup, profile, identities, stickerpacks, media: mediaService,
      cloudWebhooks: cloudInbound?.intake ?? null,
      cluster, garbageCollector, compliance,
      live: { changes: conversationChanges, deliveries: createDeliveryWatch(deliveryNumbers) },
    });
    lookupWorker.start();
    settings.start();
    certificates.start();
    account.start();
    identities.start();
    dispatcher.start();
    cloud?.gateway.start();
    cloudInbound?.worker.start();
    await cluster.start();
    return {
      app, db, metrics, users, lookupWorker, settings, sealer, webhooks, nodeKey: node.key, messages: sender, cloud,
      sandboxTemplates: onSandbox ? sandboxTemplates : null, sandboxNetwork: onSandbox ? network : null,
      garbageCollector,
      certificates, tlsSource: serverTls.source,
      account: accountService,
      identities,
      media: { service: mediaService, retention: mediaRetention },
      cloudInbound: cloudInbound?.worker ?? null,
      cluster: {
        heartbeat: cluster.heartbeat, isLeader: cluster.isLeader, liveNodes: cluster.liveNodes, listenerPid: () => bus.listenerPid?.() ?? null,
      },
      async close() {
        await app.server.close();
        await cloudInbound?.worker.stop();
        await sender.flush();
        // Stops the singleton work (if leading) and gives the lease up at once.
        await cluster.stop();
        await linkFetcher.close();
        await lookupWorker.stop();
        await dispatcher.stop();
        settings.stop();
        certificates.stop();
        account.stop();
        identities.stop();
        await gateway.close();
        conversationChanges.close();
        await bus.close();
        await db.close();
      },
    };
  } catch (error) {
    await closeBus?.().catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
}
