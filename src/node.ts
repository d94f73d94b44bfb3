// The composition root shared by `openprem start` and the tests: configuration in, a running node out.
// config → database → shared domain (src/domain.ts) → the mode (sandbox or cloud, src/modes/mode.ts) → what needs
// both (src/node-work.ts) → app → workers; close() undoes it in reverse order.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Logger } from 'pino';
import { buildApp, type App } from './app.js';
import { createClusterMetrics } from './cluster/cluster-metrics.js';
import { openClusterBus } from './cluster/open-bus.js';
import type { Cluster } from './cluster/cluster.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { releaseLeasesOfDeadProcess } from './db/leases.js';
import type { WebhookOutboxRepository } from './db/repositories/webhook-outbox.js';
import { openDomain } from './domain.js';
import { openNodeWork } from './node-work.js';
import { openCloudMode } from './modes/cloud/mode.js';
import type { AdoptInboundMedia } from './modes/cloud/inbound/index.js';
import type { Gateway } from './modes/gateway.js';
import type { ModeParts, NodeContext } from './modes/mode.js';
import { openSandboxMode } from './modes/sandbox/mode.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createLogger } from './lib/logger.js';
import { sqliteFiles, tightenPrivateFiles } from './lib/private-files.js';
import type { SecretsSealer } from './lib/sealed-secrets.js';
import { createNodeSignals } from './lib/signal.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { WebhookDispatcher } from './outbox/dispatcher.js';
import type { AccountService } from './services/account.js';
import type { CertificatesService } from './services/certificates.js';
import type { ContactLookupWorker } from './services/contact-lookup-worker.js';
import type { GarbageCollector } from './services/garbage-collector.js';
import type { IdentitiesService } from './services/identities.js';
import { createDeliveryWatch } from './services/live/delivery-watch.js';
import type { MediaService } from './services/media/media-service.js';
import type { MediaRetention } from './services/media/retention.js';
import type { MessageSender } from './services/messages/sender.js';
import { openSecretsSealer, sealSecretsAtRest } from './services/secrets-at-rest.js';
import type { SettingsService } from './services/settings.js';
import type { UsersService } from './services/users.js';
import { readTlsFiles, type ServerTls } from './tls/server-tls.js';

export const PRODUCT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface NodeOptions {
  clock?: Clock;
  logger?: Logger;
  /** Lets a test put a gate in front of the network to hold requests in flight. */
  wrapGateway?: (gateway: Gateway) => Gateway;
  /** The cloud gateway's inbound media map (src/modes/cloud/cloud-media.ts); tests give a fake one. */
  adoptInboundMedia?: AdoptInboundMedia;
}

/** The node as `openprem start` and the tests see it; the mode's parts (ModeParts) are null where it has none. */
export interface OpenPremNode extends Readonly<ModeParts> {
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
  const node = describeNode(clock.now());
  const metrics = createMetrics(node.id);
  // Certificate files that cannot serve stop the start before the database is opened or migrated.
  const tlsFiles =
    config.tls?.mode === 'files' ? await readTlsFiles(config.tls.certFile, config.tls.keyFile) : undefined;
  const sealer = await openSecretsSealer(config, logger);
  if (config.db.dialect === 'sqlite') await tightenPrivateFiles(sqliteFiles(config.db.file), logger);
  const db = openNodeDatabase(config, metrics, logger);
  let closeBus: (() => Promise<void>) | undefined;
  try {
    await db.migrate();
    await releaseLeasesOfDeadProcess(db);
    await sealSecretsAtRest(db.db, db.dialect, sealer, logger, clock.now());
    // Cluster: the bus first, so that every cached service can announce its writes to the other nodes.
    const clusterMetrics = createClusterMetrics(metrics);
    const bus = openClusterBus(config.db, db.db, node.id, clusterMetrics, logger);
    closeBus = () => bus.close();
    await bus.start();
    // Before anything that notifies or listens: each part is handed the signals it raises, as plain functions.
    const signals = createNodeSignals();
    const context: NodeContext = { config, db, bus, clock, log: logger, metrics, signals };
    const domain = await openDomain({
      ...context,
      sealer,
      productVersion: PRODUCT_VERSION,
      startedAt: node.startedAt,
      tlsFiles,
    });
    const { settings, identities, webhooks, authenticator } = domain;
    // The one choice between the two networks: nothing below asks which one it is.
    const mode = config.cloud
      ? await openCloudMode(config.cloud, { ...context, ...domain }, options)
      : openSandboxMode({ ...context, ...domain });
    const gateway = options.wrapGateway?.(mode.gateway) ?? mode.gateway;

    const { lookupWorker, contacts, mediaRetention, backup, cluster } = openNodeWork({
      context,
      domain,
      mode,
      gateway,
      node,
      sealer,
      productVersion: PRODUCT_VERSION,
      clusterMetrics,
    });

    const app = await buildApp({
      config,
      node: { ...node, database: { engineName: db.engineName, dialect: db.dialect } },
      durable: () => db.durable(),
      gateway,
      metrics,
      clock,
      authenticator,
      logger,
      tls: domain.serverTls.material,
      mode: mode.routes,
      phones: domain.phones,
      users: domain.users,
      contacts,
      stats: domain.stats,
      settings,
      certificates: domain.certificates,
      identities,
      webhooks: { deliveries: domain.deliveries, numbers: webhooks.numbers },
      conversations: domain.conversations,
      messages: { sender: mode.sender, inbox: mode.inbox },
      media: mode.media,
      account: mode.account,
      profile: mode.profile,
      compliance: mode.compliance,
      backup,
      stickerpacks: domain.stickerpacks,
      cluster,
      garbageCollector: domain.garbageCollector,
      live: { changes: domain.conversationChanges, deliveries: createDeliveryWatch(webhooks.numbers) },
    });
    lookupWorker.start();
    domain.start();
    mode.start();
    await cluster.start();
    return {
      ...mode.parts,
      app,
      db,
      metrics,
      lookupWorker,
      sealer,
      nodeKey: node.key,
      cluster: {
        heartbeat: cluster.heartbeat,
        isLeader: cluster.isLeader,
        liveNodes: cluster.liveNodes,
        listenerPid: () => bus.listenerPid?.() ?? null,
      },
      users: domain.users,
      settings,
      identities,
      certificates: domain.certificates,
      tlsSource: domain.serverTls.source,
      garbageCollector: domain.garbageCollector,
      webhooks: { outbox: webhooks.outbox, dispatcher: webhooks.dispatcher },
      messages: mode.sender,
      account: mode.account,
      media: { service: mode.media, retention: mediaRetention },
      async close() {
        await app.server.close();
        await mode.stop();
        await mode.sender.flush();
        // Stops the singleton work (if leading) and gives the lease up at once.
        await cluster.stop();
        await lookupWorker.stop();
        await domain.stop();
        await mode.close();
        domain.conversationChanges.close();
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

/** Who this node is among the nodes on one database (/v1/health's keys, the leader lease, /v1/support). */
function describeNode(startedAt: number) {
  const id = randomBytes(6).toString('hex');
  return { id, hostname: os.hostname(), key: `${os.hostname()}:${id}`, version: PRODUCT_VERSION, startedAt };
}

/** The database, with its query timings in the metrics and its outages (PostgreSQL's circuit breaker) in the log. */
function openNodeDatabase(config: Config, metrics: Metrics, logger: Logger): DatabaseHandle {
  return openDatabase(
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
}
