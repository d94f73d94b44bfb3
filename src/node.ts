// The composition root shared by `openprem start` and the tests: configuration in, a running node out.
// openDatabase → migrate → repositories → gateway → services → buildApp → workers.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pino, { type Logger } from 'pino';
import { buildApp, type App } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { releaseLeasesOfDeadProcess } from './db/leases.js';
import { createAuthTokensRepository } from './db/repositories/auth-tokens.js';
import { createContactLookupsRepository } from './db/repositories/contact-lookups.js';
import { createContactsRepository } from './db/repositories/contacts.js';
import { createSandboxCustomersRepository } from './db/repositories/sandbox-customers.js';
import { createSettingsRepository } from './db/repositories/settings.js';
import { createWebhookOutboxRepository, type WebhookOutboxRepository } from './db/repositories/webhook-outbox.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './outbox/dispatcher.js';
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
import { createMessageSender, type MessageSender } from './services/messages/sender.js';
import { createSandboxTemplatesRepository } from './db/repositories/sandbox-templates.js';
import { createSandboxTemplates, type SandboxTemplates } from './gateway/sandbox/templates.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createPhoneNumberReader } from './lib/phone.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createContactLookupWorker, type ContactLookupWorker } from './services/contact-lookup-worker.js';
import { createContactsService } from './services/contacts.js';
import { createLoginThrottle } from './services/login-throttle.js';
import { createSettingsService, type SettingsService } from './services/settings.js';
import { createStatsService } from './services/stats.js';
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
import { createContactIdentitiesRepository } from './db/repositories/contact-identities.js';
import { createProfileRepository } from './db/repositories/profile.js';
import { createStickerpacksRepository } from './db/repositories/stickerpacks.js';
import { createIdentitiesService, type IdentitiesService } from './services/identities.js';
import { createProfileService } from './services/profile.js';
import { createStickerpacksService } from './services/stickerpacks.js';

export const PRODUCT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface NodeOptions {
  clock?: Clock;
  logger?: Logger;
  /** Lets a test put a gate in front of the network to hold requests in flight. */
  wrapGateway?: (gateway: Gateway) => Gateway;
}

export interface OpenPremNode {
  readonly app: App;
  readonly db: DatabaseHandle;
  readonly metrics: Metrics;
  readonly users: UsersService;
  readonly lookupWorker: ContactLookupWorker;
  /** The application settings in force on this node (re-read from the database every WA_SETTINGS_REFRESH_MS). */
  readonly settings: SettingsService;
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
  /** Media files, and the retention pass (tests run it on the injected clock). */
  readonly media: { readonly service: MediaService; readonly retention: MediaRetention };
  readonly nodeKey: string;
  /** Forgets old finished messages, ended webhook deliveries and expired conversations, once a minute. */
  readonly garbageCollector: GarbageCollector;
  /** The business number's registration (re-read from the database every WA_SETTINGS_REFRESH_MS). */
  readonly account: AccountService;
  /** Stops accepting, finishes in-flight requests, stops the workers and closes the database. */
  close(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: ['req.headers.authorization', 'headers.authorization'] });
}

export async function openNode(config: Config, options: NodeOptions = {}): Promise<OpenPremNode> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config);
  const nodeId = randomBytes(6).toString('hex');
  const node = { id: nodeId, hostname: os.hostname(), key: `${os.hostname()}:${nodeId}`, version: PRODUCT_VERSION, startedAt: clock.now() };
  const metrics = createMetrics(nodeId);
  // Certificate files that cannot serve stop the start before the database is opened or migrated.
  const tlsFiles = config.tls?.mode === 'files' ? await readTlsFiles(config.tls.certFile, config.tls.keyFile) : undefined;
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
  try {
    await db.migrate();
    await releaseLeasesOfDeadProcess(db);
    const phones = createPhoneNumberReader(config.sandbox.businessNumber);
    const usersRepo = createUsersRepository(db.db);
    const tokensRepo = createAuthTokensRepository(db.db);
    const contactsRepo = createContactsRepository(db.db);
    const lookupsRepo = createContactLookupsRepository(db.db, db.dialect);
    const sandbox = createSandboxDirectory(createSandboxCustomersRepository(db.db), phones, clock);
    // Template changes made through another node are seen here within WA_SETTINGS_REFRESH_MS, like settings.
    const sandboxTemplates = createSandboxTemplates(createSandboxTemplatesRepository(db.db), clock, { cacheMs: config.settingsRefreshMs });
    const business = splitNumber(config.sandbox.businessNumber);
    const account = createAccountService({
      repository: createAccountRepository(db.db), clock, business, refreshMs: config.settingsRefreshMs, log: logger,
    });
    await account.ensureInitial(config.sandbox.registered);
    const baseGateway = createSandboxGateway(sandbox, account);
    const gateway = options.wrapGateway ? options.wrapGateway(baseGateway) : baseGateway;

    const authenticator = createTokenAuthenticator(tokensRepo, clock, config.tokenCacheMs);
    const users = createUsersService({ users: usersRepo, tokens: tokensRepo, authenticator, throttle: createLoginThrottle(clock), clock });
    await users.ensureBuiltInAdmin(config.adminPassword);
    const settings = createSettingsService({
      repository: createSettingsRepository(db.db), clock, businessWaId: config.sandbox.businessNumber,
      refreshMs: config.settingsRefreshMs, log: logger,
    });
    // Before the app exists: the first request, and the first webhook pass, already see the stored settings.
    await settings.load();
    const certificatesRepo = createCertificatesRepository(db.db);
    const serverTls = await resolveServerTls({
      config, certificates: certificatesRepo, now: clock.now(), serverNames: serverNamesFor(config.host), log: logger, ...(tlsFiles ? { files: tlsFiles } : {}),
    });
    const certificates = createCertificatesService({
      repository: certificatesRepo, clock, refreshMs: config.settingsRefreshMs, selfSignedCa: serverTls.selfSignedCa, log: logger,
    });
    await certificates.load();
    const webhookSender = createWebhookSender(config.webhookTimeoutMs);
    webhookSender.trust(certificates.currentWebhooksCa());
    const outbox = createWebhookOutboxRepository(db.db, db.dialect);
    const dispatcher = createWebhookDispatcher({
      outbox, sender: webhookSender, settings, clock, metrics, log: logger, userAgent: `OpenPrem/${PRODUCT_VERSION}`,
      attemptTimeoutMs: config.webhookTimeoutMs,
    });
    settings.onChange(() => dispatcher.wake());
    certificates.onWebhooksCaChange((bundle) => {
      webhookSender.trust(bundle);
      dispatcher.wake();
    });
    const identities = createIdentitiesService({
      repository: createContactIdentitiesRepository(db.db), settings, clock, refreshMs: config.settingsRefreshMs, log: logger,
    });
    await identities.load();
    const profile = createProfileService({ repository: createProfileRepository(db.db), clock });
    const stickerpacks = createStickerpacksService({ repository: createStickerpacksRepository(db.db), clock });
    const webhooks = { outbox, dispatcher };
    const lookupWorker = createContactLookupWorker(lookupsRepo, gateway, clock, logger, () => dispatcher.wake());
    const contacts = createContactsService({
      contacts: contactsRepo, lookups: lookupsRepo, gateway, phones, clock, onLookupQueued: () => lookupWorker.wake(),
    });
    const messagesRepo = createMessagesRepository(db.db, db.dialect);
    const linkFetcher = createLinkFetcher({ allow: config.media.linkAllow, timeoutMs: config.media.linkTimeoutMs });
    const network = createSandboxNetwork({
      db: db.db, messages: messagesRepo, directory: sandbox, templates: sandboxTemplates, links: createLinkChecker(linkFetcher), settings, clock,
      delays: config.sandbox.delays, log: logger, onCallbacks: () => dispatcher.wake(),
      identities,
    });
    const media = createMediaRepository(db.db);
    const mediaStorage = createMediaStorage(config.media.store, { directory: createDirectoryStore(config.media.directory), database: createDatabaseStore(db.db) });
    const mediaService = createMediaService({ repository: media, storage: mediaStorage, clock, log: logger });
    const mediaRetention = createMediaRetention({
      media: mediaService, repository: media, settings, clock, retentionMs: config.media.retentionMs, intervalMs: config.media.gcIntervalMs, log: logger,
    });
    const sender = createMessageSender({
      messages: messagesRepo, missingMedia: (ids) => media.missing(ids), phones, clock,
      businessWaId: config.sandbox.businessNumber, onAccepted: () => network.wake(),
      checkRecipient: (waId) => identities.checkRecipient(waId),
    });
    const inbox = createInbox({ db: db.db, messages: messagesRepo, clock, onCallbacks: () => dispatcher.wake(), identities });
    const sandboxCustomers = createCustomerMessages({
      phones, messages: messagesRepo, directory: sandbox, inbox, clock, businessWaId: config.sandbox.businessNumber,
      identityOf: (waId) => identities.shownOnInbound(waId),
      media: { files: mediaService, links: linkFetcher, settings },
    });
    const sandboxMedia = createCustomerMedia({ messages: messagesRepo, files: mediaService, links: linkFetcher, settings });
    const garbageCollector = createGarbageCollector({
      retention: createRetentionRepository(db.db), settings, clock, days: config.retentionDays, metrics, log: logger,
    });
    const stats = createStatsService({
      metrics, users: usersRepo, tokens: tokensRepo, contacts: contactsRepo, lookups: lookupsRepo, outbox, clock, startedAt: node.startedAt,
    });

    const backup = createBackupService({
      db: db.db, clock, productVersion: PRODUCT_VERSION, log: logger,
      sections: backupSections({ clock, business, authenticator, settings, account, templates: sandboxTemplates }),
    });

    const app = await buildApp({
      config, node, db, gateway, metrics, phones, users, contacts, stats, settings, webhooks, sandbox, sandboxTemplates, clock, authenticator, logger,
      messages: { sender, inbox, repository: messagesRepo }, sandboxCustomers, certificates, tls: serverTls.material,
      account, backup, profile, identities, stickerpacks, media: mediaService, sandboxMedia,
    });
    lookupWorker.start();
    settings.start();
    certificates.start();
    account.start();
    identities.start();
    dispatcher.start();
    network.start();
    garbageCollector.start();
    mediaRetention.start();
    return {
      app, db, metrics, users, lookupWorker, settings, webhooks, sandboxTemplates, messages: sender, sandboxNetwork: network, nodeKey: node.key,
      garbageCollector,
      certificates, tlsSource: serverTls.source,
      account,
      identities,
      media: { service: mediaService, retention: mediaRetention },
      async close() {
        await app.server.close();
        await sender.flush();
        await network.stop();
        await garbageCollector.stop();
        await mediaRetention.stop();
        await linkFetcher.close();
        await lookupWorker.stop();
        await dispatcher.stop();
        settings.stop();
        certificates.stop();
        account.stop();
        identities.stop();
        await gateway.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
