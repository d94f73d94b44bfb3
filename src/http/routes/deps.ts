// What route modules are given: services and read-only facts about the node, never the database, a repository or
// the framework's internals. What differs by mode is in one member, `mode` (src/modes/mode.ts).
import type { NodeView } from '../../cluster/cluster.js';
import type { Config } from '../../config.js';
import type { Gateway } from '../../modes/gateway.js';
import type { ModeRoutes } from '../../modes/mode.js';
import type { Clock } from '../../lib/clock.js';
import type { PhoneNumberReader } from '../../lib/phone.js';
import type { Metrics } from '../../metrics.js';
import type { DeliveryNumbers } from '../../outbox/delivery-numbers.js';
import type { AccountService } from '../../services/account.js';
import type { BackupService } from '../../services/backup/backup.js';
import type { CertificatesService } from '../../services/certificates.js';
import type { ComplianceService } from '../../services/compliance.js';
import type { ContactsService } from '../../services/contacts.js';
import type { GarbageCollector } from '../../services/garbage-collector.js';
import type { IdentitiesService } from '../../services/identities.js';
import type { ConversationChanges } from '../../services/live/conversation-changes.js';
import type { DeliveryWatch } from '../../services/live/delivery-watch.js';
import type { MediaService } from '../../services/media/media-service.js';
import type { Conversations } from '../../services/messages/conversations.js';
import type { Inbox } from '../../services/messages/inbox.js';
import type { MessageSender } from '../../services/messages/sender.js';
import type { ProfileService } from '../../services/profile.js';
import type { SettingsService } from '../../services/settings.js';
import type { StatsService } from '../../services/stats.js';
import type { StickerpacksService } from '../../services/stickerpacks.js';
import type { UsersService } from '../../services/users.js';
import type { WebhookDeliveries } from '../../services/webhook-deliveries.js';

/** Facts about this node: who it is among the nodes on its database, and which database that is. */
interface NodeFacts {
  readonly id: string;
  readonly hostname: string;
  readonly key: string;
  readonly version: string;
  readonly startedAt: number;
  readonly database: { readonly engineName: string; readonly dialect: string };
}

export interface RouteDeps {
  config: Config;
  clock: Clock;
  node: NodeFacts;
  /** The network's kind and connection state (/v1/health, /v1/support). */
  gateway: Pick<Gateway, 'kind' | 'status'>;
  /** The routes only this node's mode serves: /sandbox/* or /cloud/webhook. */
  mode: ModeRoutes;
  metrics: Metrics;
  phones: PhoneNumberReader;
  users: UsersService;
  contacts: ContactsService;
  stats: StatsService;
  settings: SettingsService;
  /** The delivery log (pages, one delivery, replays) and its numbers, read at most every few seconds. */
  webhooks: { deliveries: WebhookDeliveries; numbers: Pick<DeliveryNumbers, 'summary'> };
  messages: { sender: MessageSender; inbox: Inbox };
  /** The console's conversations: customers with messages, newest activity first, and their pages of messages. */
  conversations: Conversations;
  /** What the console's live views hear of: changed conversations (cluster-wide) and the delivery log's numbers. */
  live: { changes: ConversationChanges; deliveries: DeliveryWatch };
  /** Media files (POST/GET/DELETE /v1/media). */
  media: MediaService;
  /** /v1/certificates: the uploaded external certificate and the webhooks CA bundle. */
  certificates: CertificatesService;
  /** The business number's registration and shard count (/v1/account…). */
  account: AccountService;
  backup: BackupService;
  /** About, photo, business profile and two-step PIN (/v1/settings/profile/*, business/profile, account/two-step). */
  profile: ProfileService;
  /** The business compliance information (/v1/settings/business/compliance_info): local, or Meta's on cloud. */
  compliance: ComplianceService;
  /** Customers' identity changes and their acknowledgement (/v1/contacts/{wa_id}/identity). */
  identities: IdentitiesService;
  stickerpacks: StickerpacksService;
  /** The message garbage collector, for a run asked for by hand (PUT /v1/services/message/gc). */
  garbageCollector: Pick<GarbageCollector, 'collectAll'>;
  /** The nodes on this database that are live now, with their roles (this node alone on SQLite). */
  cluster: { liveNodes(): Promise<NodeView[]> };
}
