import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { SandboxDirectory } from '../../gateway/sandbox/directory.js';
import type { Gateway } from '../../gateway/gateway.js';
import type { Clock } from '../../lib/clock.js';
import type { Metrics } from '../../metrics.js';
import type { PhoneNumberReader } from '../../lib/phone.js';
import type { ContactsService } from '../../services/contacts.js';
import type { StatsService } from '../../services/stats.js';
import type { UsersService } from '../../services/users.js';

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
  sandbox: SandboxDirectory | null;
}
