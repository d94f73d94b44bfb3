// The one seam between the API and the WhatsApp network. A node runs in one of two modes, chosen once by
// src/node.ts: `sandbox` (a simulated network whose state is kept in OpenPrem's own database,
// docs/api/sandbox.md) or `cloud` (Meta's Cloud API, docs/api/cloud-bridge.md). Each mode is built from the
// same shared domain (ModeInputs) by its own builder (sandbox/mode.ts, cloud/mode.ts) and answers the same
// Mode. Past that one choice nothing asks which mode runs, except the route registration (`routes.kind`) for the
// routes only one mode serves.
import type { Logger } from 'pino';
import type { ClusterBus } from '../cluster/bus.js';
import type { SingletonWork } from '../cluster/leadership.js';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { MediaRepository } from '../db/repositories/media.js';
import type { MessageRow, MessagesRepository } from '../db/repositories/messages.js';
import type { Clock } from '../lib/clock.js';
import type { PhoneNumberReader, WaId } from '../lib/phone.js';
import type { NodeSignals } from '../lib/signal.js';
import type { Metrics } from '../metrics.js';
import type { AccountService } from '../services/account.js';
import type { BusinessNumber } from '../services/account-rules.js';
import type { ComplianceService } from '../services/compliance.js';
import type { IdentitiesService } from '../services/identities.js';
import type { MediaService } from '../services/media/media-service.js';
import type { Inbox } from '../services/messages/inbox.js';
import type { MessageSender } from '../services/messages/sender.js';
import type { ProfileService } from '../services/profile.js';
import type { SettingsService } from '../services/settings.js';
import type { CloudGateway } from './cloud/cloud-gateway.js';
import type { InboundCloudMedia } from './cloud/cloud-media.js';
import type { CloudInboundWorker, CloudWebhookIntake } from './cloud/inbound/index.js';
import type { Gateway } from './gateway.js';
import type { CustomerMedia } from './sandbox/customer-media.js';
import type { CustomerMessages } from './sandbox/customer-messages.js';
import type { SandboxDirectory } from './sandbox/directory.js';
import type { SandboxNetwork } from './sandbox/network.js';
import type { SandboxTemplates } from './sandbox/templates.js';

/** What every part of a node is built with (src/node.ts makes them first). */
export interface NodeContext {
  config: Config;
  db: DatabaseHandle;
  bus: ClusterBus;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  signals: NodeSignals;
}

/** The shared domain a mode is built from. The `local` services are what a cloud wrapper stands in for. */
export interface ModeInputs extends NodeContext {
  phones: PhoneNumberReader;
  business: BusinessNumber;
  businessWaId: string;
  settings: SettingsService;
  identities: IdentitiesService;
  messages: MessagesRepository;
  mediaRepository: MediaRepository;
  local: { account: AccountService; profile: ProfileService; media: MediaService; inbox: Inbox };
}

/** /sandbox/*: the virtual customers, their messages and files, and the template registry. */
export interface SandboxRoutes {
  readonly kind: 'sandbox';
  readonly directory: SandboxDirectory;
  readonly templates: SandboxTemplates;
  /** Virtual customers writing to the business (POST /sandbox/inbound). */
  readonly customers: CustomerMessages;
  /** The files of media messages as customers got them. */
  readonly media: CustomerMedia;
  /** A customer's conversation, oldest first, at most `limit` messages. */
  conversationOf(waId: WaId, limit: number): Promise<MessageRow[]>;
}

/** /cloud/webhook: Meta's webhooks come in here. */
interface CloudRoutes {
  readonly kind: 'cloud';
  readonly webhooks: CloudWebhookIntake;
}

/** The routes only one mode serves. */
export type ModeRoutes = SandboxRoutes | CloudRoutes;

/** The cloud gateway's parts tests drive: the status refresh, and the inbound half's media adoption. */
export interface CloudParts {
  readonly gateway: CloudGateway;
  /** The local media id of a Cloud media, the same every time; with `download` the bytes are fetched now. */
  adoptInboundMedia(media: InboundCloudMedia, options: { download: boolean }): Promise<string>;
}

/** Leader-only work; `name` lets another node wake it through the bus (src/cluster/cluster.ts). */
type NamedWork = SingletonWork & { name: string; wake(): void };

/** The mode's inner parts that tests and OpenPremNode reach; null where this mode has none. */
export interface ModeParts {
  /** The simulated network's engine (tests move it on the injected clock). */
  sandboxNetwork: SandboxNetwork | null;
  /** The sandbox's template registry; `check(send)` is what a template or hsm send goes through. */
  sandboxTemplates: SandboxTemplates | null;
  /** The cloud gateway's status refresh and the inbound half's media adoption. */
  cloud: CloudParts | null;
  /** Translates Meta's stored webhooks into On-Prem callbacks (tests run it). */
  cloudInbound: CloudInboundWorker | null;
}

export interface Mode {
  /** Health (/v1/health, the registration guard, the heartbeat) and contact look-ups. */
  readonly gateway: Gateway;
  readonly sender: MessageSender;
  /** Inbound messages and mark-as-read. */
  readonly inbox: Inbox;
  readonly media: MediaService;
  readonly profile: ProfileService;
  readonly account: AccountService;
  readonly compliance: ComplianceService;
  /** What POST /v1/contacts answers as wa_id once a send revealed another one than dialled; absent on the sandbox. */
  readonly realWaIds?: (dialled: readonly WaId[]) => Promise<Map<string, string>>;
  readonly routes: ModeRoutes;
  /** Work only the leader runs (the simulated network). */
  readonly singletonWork: readonly NamedWork[];
  readonly parts: ModeParts;
  /** Starts this node's own workers (cloud: the status refresh and the inbound worker). */
  start(): void;
  /** Stops taking new work in (first in a shutdown, before the sends are flushed). */
  stop(): Promise<void>;
  /** Releases the network's connections (last, before the bus and the database). */
  close(): Promise<void>;
}
