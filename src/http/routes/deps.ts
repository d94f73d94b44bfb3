import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { SandboxDirectory } from '../../gateway/sandbox/directory.js';
import type { SandboxTemplates } from '../../gateway/sandbox/templates.js';
import type { Gateway } from '../../gateway/gateway.js';
import type { Clock } from '../../lib/clock.js';
import type { WebhookOutboxRepository } from '../../db/repositories/webhook-outbox.js';
import type { WebhookDispatcher } from '../../outbox/dispatcher.js';
import type { DeliveryNumbers } from '../../outbox/delivery-numbers.js';
import type { Metrics } from '../../metrics.js';
import type { PhoneNumberReader } from '../../lib/phone.js';
import type { ContactsService } from '../../services/contacts.js';
import type { SettingsService } from '../../services/settings.js';
import type { StatsService } from '../../services/stats.js';
import type { UsersService } from '../../services/users.js';
import type { Inbox } from '../../services/messages/inbox.js';
import type { MessageSender } from '../../services/messages/sender.js';
import type { MessagesRepository } from '../../db/repositories/messages.js';
import type { CustomerMessages } from '../../gateway/sandbox/customer-messages.js';
import type { CertificatesService } from '../../services/certificates.js';
import type { AccountService } from '../../services/account.js';
import type { BackupService } from '../../services/backup/backup.js';
import type { IdentitiesService } from '../../services/identities.js';
import type { ProfileService } from '../../services/profile.js';
import type { StickerpacksService } from '../../services/stickerpacks.js';
import type { MediaService } from '../../services/media/media-service.js';
import type { CustomerMedia } from '../../gateway/sandbox/customer-media.js';
import type { CloudWebhookIntake } from '../../gateway/cloud/inbound/intake.js';
import type { NodeView } from '../../cluster/cluster.js';
import type { GarbageCollector } from '../../services/garbage-collector.js';
import type { ComplianceService } from '../../services/compliance.js';
import type { Conversations } from '../../services/messages/conversations.js';
import type { ConversationChanges } from '../../services/live/conversation-changes.js';
import type { DeliveryWatch } from '../../services/live/delivery-watch.js';

/** What route modules may use: services and read-only facts about the node, never the framework's internals. */
export interface RouteDeps {
  config: Config;
  clock: Clock;
  node: { readonly id: string; readonly hostname: string; readonly key: string; readonly version: string; readonly startedAt: number };
  db: DatabaseHandle;
  gateway: Gateway;
  metrics: Metrics;
  phones: PhoneNumberReader;
  users: UsersService;
  contacts: ContactsService;
  stats: StatsService;
  settings: SettingsService;
  /** The delivery log, the dispatcher, and the log's numbers read at most every few seconds. */
  webhooks: { outbox: WebhookOutboxRepository; dispatcher: WebhookDispatcher; numbers: DeliveryNumbers };
  messages: { sender: MessageSender; inbox: Inbox; repository: MessagesRepository };
  /** The console's conversations: customers with messages, newest activity first, and their pages of messages. */
  conversations: Conversations;
  /** What the console's live views hear of: changed conversations (cluster-wide) and the delivery log's numbers. */
  live: { changes: ConversationChanges; deliveries: DeliveryWatch };
  /** Media files (POST/GET/DELETE /v1/media). */
  media: MediaService;
  /** Virtual customers writing to the business (POST /sandbox/inbound); null when the gateway is not the sandbox. */
  sandboxCustomers: CustomerMessages | null;
  sandbox: SandboxDirectory | null;
  /** The files of media messages as customers got them; null when the gateway is not the sandbox. */
  sandboxMedia: CustomerMedia | null;
  /** The sandbox's template registry (/sandbox/templates and the send check); null when the gateway is not the sandbox. */
  sandboxTemplates: SandboxTemplates | null;
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
  /** Meta's webhooks (GET/POST /cloud/webhook); null unless WA_GATEWAY=cloud. */
  cloudWebhooks: CloudWebhookIntake | null;
  /** The message garbage collector, for a run asked for by hand (PUT /v1/services/message/gc). */
  garbageCollector: Pick<GarbageCollector, 'collectAll'>;
  /** The nodes on this database that are live now, with their roles (this node alone on SQLite). */
  cluster: { liveNodes(): Promise<NodeView[]> };
}
