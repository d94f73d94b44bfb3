// `openprem <command>`: start the server, apply migrations, manage users. Configuration comes from WA_* variables.
import { parseCommandLine } from './cli/arguments.js';
import { explainListenError } from './cli/listen-errors.js';
import { PromptError, readNewPassword } from './cli/password-prompt.js';
import { loadConfig, ConfigError, type Config } from './config.js';
import { databaseLocation, openDatabase } from './db/database.js';
import { createAuthTokensRepository } from './db/repositories/auth-tokens.js';
import { createUsersRepository } from './db/repositories/users.js';
import { systemClock } from './lib/clock.js';
import { createLogger, openNode, PRODUCT_VERSION } from './node.js';
import { createLoginThrottle } from './services/login-throttle.js';
import { createTokenAuthenticator } from './services/token-authenticator.js';
import { createUsersService } from './services/users.js';
import { forgetUnreadableSecrets, openSecretsSealer } from './services/secrets-at-rest.js';

const USAGE = `openprem ${PRODUCT_VERSION}: the WhatsApp Business On-Premises API, self-hosted

Usage:
  openprem start                         start the server (WA_HOST:WA_PORT, default 127.0.0.1:9090)
  openprem migrate                       apply database migrations and exit
  openprem user add <name> [--admin]     create a user; the password is asked for (or read from standard input)
  openprem user password <name>          set a user's password, asked for (or read from standard input)
  openprem user delete <name>            delete a user and revoke its tokens
  openprem user list                     list users and their roles
  openprem help | version                this text | the version
  openprem secrets forget                after a lost secrets key: drop the secrets it sealed, adopt this key

Configuration: WA_* environment variables or a JSON file named by WA_CONFIG_FILE (see README.md).`;

async function main(argv: string[]): Promise<number> {
  const line = parseCommandLine(argv);
  if (!line.ok) return fail(`${line.problem}\n\n${USAGE}`);
  const [command, sub, name] = line.positionals;
  if (line.version || command === 'version') return print(PRODUCT_VERSION);
  if (line.help || !command || command === 'help') return print(USAGE);
  // Before anything is created: the data directory, the database (and SQLite's -wal/-shm), media and key files
  // are the owner's alone, whichever code path creates them.
  process.umask(0o077);
  const config = loadConfig(process.env);
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate':
      return migrate(config);
    case 'user':
      return manageUser(config, sub, name, line.admin);
    case 'secrets':
      return sub === 'forget' ? forgetSecrets(config) : fail('usage: openprem secrets forget');
    default:
      return fail(`unknown command "${command}"\n\n${USAGE}`);
  }
}

async function start(config: Config): Promise<number> {
  const logger = createLogger(config);
  const node = await openNode(config, { logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    node.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  let address: string;
  try {
    address = await node.app.server.listen({ host: config.host, port: config.port });
  } catch (error) {
    const problem = explainListenError(error, config.host, config.port);
    if (problem === null) throw error;
    await node.close();
    return fail(problem, 1);
  }
  logger.info(
    {
      address,
      database: node.db.engineName,
      databaseAt: databaseLocation(config.db),
      gateway: config.gateway,
      node: node.nodeKey,
      ...(config.media.store === 'directory' ? { media: config.media.directory } : {}),
      docs: `${address}/docs (every endpoint, with Try it out); README.md`,
    },
    `OpenPrem ${PRODUCT_VERSION} listening on ${address}`,
  );
  if (await node.users.firstLoginPending()) {
    logger.info(
      { username: 'admin' },
      `first login: POST ${address}/v1/users/login as admin with the default password "secret" and {"new_password": "..."} (README.md, "First steps with curl")`,
    );
  }
  return new Promise<number>(() => {});
}

async function migrate(config: Config): Promise<number> {
  const db = openDatabase(config.db);
  try {
    await db.migrate();
    return print(`migrations applied (${db.engineName})`);
  } finally {
    await db.close();
  }
}

/** The way out of a lost WA_SECRETS_KEY or secrets.key: what it sealed is gone; the rest of the database stays. */
async function forgetSecrets(config: Config): Promise<number> {
  const sealer = await openSecretsSealer(config, { info() {}, warn() {} });
  const db = openDatabase(config.db);
  try {
    await db.migrate();
    const dropped = await forgetUnreadableSecrets(db.db, sealer, systemClock.now());
    return print(
      `${dropped.length ? `dropped ${dropped.join(', ')}` : 'nothing to drop'}; secrets are now sealed with key ${sealer.keyId}`,
    );
  } finally {
    await db.close();
  }
}

async function manageUser(
  config: Config,
  action: string | undefined,
  name: string | undefined,
  admin: boolean,
): Promise<number> {
  if (!action || (action !== 'list' && !name))
    return fail(`usage: openprem user add|password|delete <name>, or openprem user list`);
  // Asked before the database is opened: a terminal is in no-echo mode from the first key typed after the prompt.
  const password = action === 'add' || action === 'password' ? await readNewPassword() : '';
  const db = openDatabase(config.db);
  try {
    await db.migrate();
    const repo = createUsersRepository(db.db);
    const tokens = createAuthTokensRepository(db.db);
    const users = createUsersService({
      users: repo,
      tokens,
      authenticator: createTokenAuthenticator(tokens, systemClock, 0),
      throttle: createLoginThrottle(systemClock),
      clock: systemClock,
    });
    await users.ensureBuiltInAdmin(config.adminPassword);
    const cliActor = { kind: 'user', username: 'cli', role: 'ROLE_ADMIN', tokenHash: '' } as const;
    switch (action) {
      case 'list':
        for (const user of await repo.list()) console.log(`${user.username}\t${user.role}`);
        return 0;
      case 'add':
        return report(await users.create(name!, password, admin ? 'ROLE_ADMIN' : 'ROLE_USER'), `user ${name} created`);
      case 'password':
        return report(await users.changePassword(cliActor, name!, password), `password of ${name} changed`);
      case 'delete':
        return report(await users.delete(name!), `user ${name} deleted`);
      default:
        return fail(`unknown user action "${action}"`);
    }
  } finally {
    await db.close();
  }
}

function report(result: { ok: boolean; error?: { details?: string; message: string } }, success: string): number {
  return result.ok ? print(success) : fail(result.error?.details ?? result.error?.message ?? 'failed');
}

function print(text: string): number {
  console.log(text);
  return 0;
}

/** Exit code 2: the command line or the configuration is wrong; 1: the command could not do its work. */
function fail(text: string, exitCode = 2): number {
  console.error(`openprem: ${text}`);
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    // One clear line for a bad configuration or a start-up failure, no stack trace.
    process.exit(
      error instanceof ConfigError
        ? reportConfigError(error)
        : fail((error as Error).message, error instanceof PromptError ? error.exitCode : 1),
    );
  },
);

/** One line for one bad variable; one line per variable when several are wrong together (WA_GATEWAY=cloud). */
function reportConfigError(error: ConfigError): number {
  if (error.problems.length === 1) return fail(`configuration error: ${error.message}`);
  const lines = error.problems.map(({ variable, problem }) => `  ${variable}: ${problem}`);
  return fail(`configuration error: ${error.problems.length} variables to fix:\n${lines.join('\n')}`);
}
