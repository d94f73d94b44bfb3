// The shared domain both modes are built on (src/modes/mode.ts): repositories, the services that do not depend on
// the network, and the webhook outbox. Part of the composition root: src/node.ts opens it, then the mode on it.
import { createAccountRepository } from './db/repositories/account.js';
import { createAuthTokensRepository } from './db/repositories/auth-tokens.js';
import { createCertificatesRepository } from './db/repositories/certificates.js';
import { createContactIdentitiesRepository } from './db/repositories/contact-identities.js';
import { createContactLookupsRepository } from './db/repositories/contact-lookups.js';
import { createContactsRepository } from './db/repositories/contacts.js';
import { createConversationListRepository } from './db/repositories/conversation-list.js';
import { createInstallationRepository } from './db/repositories/installation.js';
import { createMediaRepository } from './db/repositories/media.js';
import { createMessagesRepository } from './db/repositories/messages.js';
import { createProfileRepository } from './db/repositories/profile.js';
import { createRetentionRepository } from './db/repositories/retention.js';
import { createSettingsRepository } from './db/repositories/settings.js';
import { createStickerpacksRepository } from './db/repositories/stickerpacks.js';
import { createWebhookOutboxRepository } from './db/repositories/webhook-outbox.js';
import type { NodeContext } from './modes/mode.js';
import { createUsersRepository } from './db/repositories/users.js';
import { createPhoneNumberReader } from './lib/phone.js';
import type { SecretsSealer } from './lib/sealed-secrets.js';
import { createDeliveryNumbers } from './outbox/delivery-numbers.js';
import { createWebhookDispatcher } from './outbox/dispatcher.js';
import { createWebhookSender } from './outbox/http-sender.js';
import { createAccountService } from './services/account.js';
import { splitNumber, type BusinessNumber } from './services/account-rules.js';
import { createCertificatesService, type CertificatesService } from './services/certificates.js';
import { createGarbageCollector } from './services/garbage-collector.js';
import { createIdentitiesService } from './services/identities.js';
import { createConversationChanges } from './services/live/conversation-changes.js';
import { createDatabaseStore } from './services/media/database-store.js';
import { createDirectoryStore } from './services/media/directory-store.js';
import { createMediaService } from './services/media/media-service.js';
import { createMediaStorage } from './services/media/store.js';
import { createConversations } from './services/messages/conversations.js';
import { createInbox } from './services/messages/inbox.js';
import { createLoginThrottle } from './services/login-throttle.js';
import { createProfileService } from './services/profile.js';
import { createSettingsService, type SettingsService } from './services/settings.js';
import { reportStartNotices } from './services/start-notices.js';
import { createStatsService } from './services/stats.js';
import { createStickerpacksService } from './services/stickerpacks.js';
import { createTokenAuthenticator } from './services/token-authenticator.js';
import { createUsersService } from './services/users.js';
import { createWebhookDeliveries } from './services/webhook-deliveries.js';
import { resolveServerTls, serverNamesFor } from './tls/server-tls.js';

export interface DomainDeps extends NodeContext {
  sealer: SecretsSealer;
  productVersion: string;
  startedAt: number;
  tlsFiles: { key: string; cert: string } | undefined;
}

export async function openDomain(deps: DomainDeps) {
  const { config, db, bus, clock, log, metrics, sealer, signals } = deps;
  // The number this installation serves: Meta's on cloud, the simulated one on the sandbox.
  const businessWaId = config.cloud?.businessNumber ?? config.sandbox.businessNumber;
  const business = splitNumber(businessWaId);
  const refreshMs = config.settingsRefreshMs;
  const { profile, account } = await openRegistration(deps, business);
  const usersRepo = createUsersRepository(db.db);
  const tokensRepo = createAuthTokensRepository(db.db);
  const authenticator = createTokenAuthenticator(tokensRepo, clock, config.tokenCacheMs, (kind, key) =>
    bus.publish(kind, key),
  );
  const users = createUsersService({
    users: usersRepo,
    tokens: tokensRepo,
    authenticator,
    throttle: createLoginThrottle(clock),
    clock,
    log,
  });
  await users.ensureBuiltInAdmin(config.adminPassword);
  const settings = createSettingsService({
    repository: createSettingsRepository(db.db, sealer),
    clock,
    businessWaId,
    refreshMs,
    log,
    announce: () => bus.publish('settings'),
  });
  // Before the app exists: the first request, and the first webhook pass, already see the stored settings.
  await settings.load();
  const { serverTls, certificates } = await openCertificates(deps);
  const webhooks = openWebhooks(deps, settings, certificates);
  signals.callbacksWritten.on(() => webhooks.dispatcher.wake());
  const identities = createIdentitiesService({
    repository: createContactIdentitiesRepository(db.db),
    settings,
    clock,
    refreshMs,
    log,
    announce: (trx, waId) => bus.publishIn(trx, 'identity', waId),
  });
  await identities.load();
  // The console's live views: which conversations changed (here, or on another node through the bus).
  const conversationChanges = createConversationChanges(bus);
  const messages = createMessagesRepository(db.db, db.dialect, conversationChanges);
  const mediaRepository = createMediaRepository(db.db);
  const mediaStorage = createMediaStorage(config.media.store, {
    directory: createDirectoryStore(config.media.directory),
    database: createDatabaseStore(db.db),
  });
  const contactsRepo = createContactsRepository(db.db);
  const lookupsRepo = createContactLookupsRepository(db.db, db.dialect);
  return {
    businessWaId,
    business,
    users,
    authenticator,
    settings,
    certificates,
    identities,
    serverTls,
    webhooks,
    conversationChanges,
    messages,
    mediaRepository,
    contactsRepo,
    lookupsRepo,
    local: {
      account,
      profile,
      media: createMediaService({ repository: mediaRepository, storage: mediaStorage, clock, log }),
      inbox: createInbox({
        db: db.db,
        messages,
        media: mediaRepository,
        clock,
        metrics,
        onCallbacks: signals.callbacksWritten.notify,
        identities,
      }),
    },
    phones: createPhoneNumberReader(businessWaId),
    stickerpacks: createStickerpacksService({ repository: createStickerpacksRepository(db.db), clock }),
    conversations: createConversations({
      messages,
      repository: createConversationListRepository(db.db, db.dialect),
      clock,
    }),
    deliveries: createWebhookDeliveries({
      outbox: webhooks.outbox,
      clock,
      onReplayed: signals.callbacksWritten.notify,
    }),
    garbageCollector: createGarbageCollector({
      retention: createRetentionRepository(db.db),
      settings,
      clock,
      days: config.retentionDays,
      metrics,
      log,
    }),
    stats: createStatsService({
      metrics,
      users: usersRepo,
      tokens: tokensRepo,
      contacts: contactsRepo,
      lookups: lookupsRepo,
      outbox: webhooks.outbox,
      clock,
      startedAt: deps.startedAt,
    }),
    /** The timed re-reads of what other nodes may change, and the webhook dispatcher. */
    start(): void {
      settings.start();
      certificates.start();
      account.start();
      identities.start();
      webhooks.dispatcher.start();
    },
    async stop(): Promise<void> {
      await webhooks.dispatcher.stop();
      settings.stop();
      certificates.stop();
      account.stop();
      identities.stop();
    },
  };
}

/** The business number's registration, and the profile whose two-step PIN it checks; the start's notices about it. */
async function openRegistration({ config, db, bus, clock, log }: DomainDeps, business: BusinessNumber) {
  const profile = createProfileService({ repository: createProfileRepository(db.db), clock });
  const account = createAccountService({
    repository: createAccountRepository(db.db),
    clock,
    business,
    refreshMs: config.settingsRefreshMs,
    log,
    announce: () => bus.publish('account'),
    verifyTwoStepPin: profile.verifyTwoStepPin,
  });
  // On cloud the registration lives at Meta (the gateway's status says it); the local row only keeps shards.
  const registrationIsNew = await account.ensureInitial(config.cloud ? true : (config.sandbox.registered ?? true));
  await reportStartNotices({
    gateway: config.gateway,
    sandboxRegistered: config.sandbox.registered,
    registrationIsNew,
    connection: account.connection(),
    installation: createInstallationRepository(db.db),
    now: clock.now(),
    log,
  });
  return { profile, account };
}

/** Which certificate this node serves, and the uploaded certificate and webhooks CA bundle (/v1/certificates). */
async function openCertificates({ config, db, bus, clock, log, sealer, tlsFiles }: DomainDeps) {
  const repository = createCertificatesRepository(db.db, sealer);
  const serverTls = await resolveServerTls({
    config,
    certificates: repository,
    now: clock.now(),
    serverNames: serverNamesFor(config.host),
    log,
    ...(tlsFiles ? { files: tlsFiles } : {}),
  });
  const certificates = createCertificatesService({
    repository,
    clock,
    refreshMs: config.settingsRefreshMs,
    selfSignedCa: serverTls.selfSignedCa,
    log,
    announce: () => bus.publish('certificates'),
  });
  await certificates.load();
  return { serverTls, certificates };
}

/** The outbox, its numbers and its dispatcher, which wakes on a settings change and trusts the CA bundle in force. */
function openWebhooks(
  { config, db, clock, metrics, log, productVersion }: DomainDeps,
  settings: SettingsService,
  certificates: CertificatesService,
) {
  const sender = createWebhookSender(config.webhookTimeoutMs);
  sender.trust(certificates.currentWebhooksCa());
  const outbox = createWebhookOutboxRepository(db.db, db.dialect);
  const numbers = createDeliveryNumbers(outbox, clock);
  const dispatcher = createWebhookDispatcher({
    outbox,
    sender,
    settings,
    clock,
    metrics,
    log,
    userAgent: `OpenPrem/${productVersion}`,
    attemptTimeoutMs: config.webhookTimeoutMs,
    backlog: numbers.backlog,
  });
  settings.onChange(() => dispatcher.wake());
  certificates.onWebhooksCaChange((bundle) => {
    sender.trust(bundle);
    dispatcher.wake();
  });
  return { outbox, numbers, dispatcher };
}
