// The composition root shared by `openprem start` and the tests: configuration in, a running node out.
// openDatabase → migrate → repositories → gateway → services → buildApp → workers.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pino, { type Logger } from 'pino';
import { buildApp, type App } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { createAuthTokensRepository } from './db/repositories/auth-tokens.js';
import { createContactLookupsRepository } from './db/repositories/contact-lookups.js';
import { createContactsRepository } from './db/repositories/contacts.js';
import { createSandboxCustomersRepository } from './db/repositories/sandbox-customers.js';
import { createUsersRepository } from './db/repositories/users.js';
import type { Gateway } from './gateway/gateway.js';
import { createSandboxDirectory } from './gateway/sandbox/directory.js';
import { createSandboxGateway } from './gateway/sandbox/sandbox-gateway.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createPhoneNumberReader } from './lib/phone.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createContactLookupWorker, type ContactLookupWorker } from './services/contact-lookup-worker.js';
import { createContactsService } from './services/contacts.js';
import { createLoginThrottle } from './services/login-throttle.js';
import { createStatsService } from './services/stats.js';
import { createTokenAuthenticator } from './services/token-authenticator.js';
import { createUsersService, type UsersService } from './services/users.js';

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
  readonly nodeKey: string;
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
  const db = openDatabase(config.db, ({ durationMs, failed }) =>
    metrics.dbQueryDuration.observe({ result: failed ? 'error' : 'ok' }, durationMs / 1000),
  );
  try {
    await db.migrate();
    const phones = createPhoneNumberReader(config.sandbox.businessNumber);
    const usersRepo = createUsersRepository(db.db);
    const tokensRepo = createAuthTokensRepository(db.db);
    const contactsRepo = createContactsRepository(db.db);
    const lookupsRepo = createContactLookupsRepository(db.db, db.dialect);
    const sandbox = createSandboxDirectory(createSandboxCustomersRepository(db.db), phones, clock);
    const baseGateway = createSandboxGateway(sandbox);
    const gateway = options.wrapGateway ? options.wrapGateway(baseGateway) : baseGateway;

    const authenticator = createTokenAuthenticator(tokensRepo, clock, config.tokenCacheMs);
    const users = createUsersService({ users: usersRepo, tokens: tokensRepo, authenticator, throttle: createLoginThrottle(clock), clock });
    await users.ensureBuiltInAdmin(config.adminPassword);
    const lookupWorker = createContactLookupWorker(lookupsRepo, gateway, clock, logger);
    const contacts = createContactsService({
      contacts: contactsRepo, lookups: lookupsRepo, gateway, phones, clock, onLookupQueued: () => lookupWorker.wake(),
    });
    const stats = createStatsService({ metrics, users: usersRepo, tokens: tokensRepo, contacts: contactsRepo, lookups: lookupsRepo, clock, startedAt: node.startedAt });

    const app = await buildApp({
      config, node, db, gateway, metrics, phones, users, contacts, stats, sandbox, clock, authenticator, logger,
    });
    lookupWorker.start();
    return {
      app, db, metrics, users, lookupWorker, nodeKey: node.key,
      async close() {
        await app.server.close();
        await lookupWorker.stop();
        await gateway.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
