// What a start finds in the database that its configuration does not decide, said once in the log in plain
// words: WA_SANDBOX_REGISTERED set where it has no effect, and a gateway other than the one the database was last
// used with. Nothing is changed by them; they explain behaviour that would otherwise surprise.
import type { Gateway, InstallationRepository } from '../db/repositories/installation.js';
import type { Connection } from './account.js';

export interface StartNoticesInput {
  gateway: Gateway;
  /** WA_SANDBOX_REGISTERED as set, or null when unset. */
  sandboxRegistered: boolean | null;
  /** Whether this start wrote the registration row (a new database) or found one. */
  registrationIsNew: boolean;
  /** The stored registration as this start found it. */
  connection: Connection;
  installation: InstallationRepository;
  now: number;
  log: { info(obj: object, message: string): void; warn(obj: object, message: string): void };
}

export async function reportStartNotices(input: StartNoticesInput): Promise<void> {
  reportSandboxRegistered(input);
  await reportGatewayChange(input);
}

function reportSandboxRegistered({
  gateway,
  sandboxRegistered,
  registrationIsNew,
  connection,
  log,
}: StartNoticesInput): void {
  if (sandboxRegistered === null) return;
  const setting = `WA_SANDBOX_REGISTERED=${sandboxRegistered}`;
  if (gateway === 'cloud') {
    log.warn({ setting }, `${setting} has no effect with WA_GATEWAY=cloud: the registration is the number's at Meta`);
    return;
  }
  if (registrationIsNew) return;
  const storedRegistered = connection !== 'unregistered';
  const stored = storedRegistered ? 'registered' : 'not registered';
  if (storedRegistered === sandboxRegistered) {
    log.info(
      { setting, stored },
      `${setting} has no effect: it is read only when the database is new, and this one is already ${stored}`,
    );
    return;
  }
  const remedy = storedRegistered
    ? 'to walk the registration, start on a new database (another WA_DATA_DIR or WA_DB_URL)'
    : 'register with POST /v1/account then POST /v1/account/verify';
  log.warn(
    { setting, stored },
    `${setting} has no effect: it is read only when the database is new, and this one is already ${stored}; ${remedy}`,
  );
}

async function reportGatewayChange({ gateway, installation, now, log }: StartNoticesInput): Promise<void> {
  const previous = await installation.lastGateway();
  if (previous === gateway) return;
  // Compare-and-set: of nodes starting together, the one that records the change reports it.
  const recorded = await installation.recordGateway(previous, gateway, now);
  // No record: a new database, or one last started before the gateway was recorded. Nothing to compare.
  if (!recorded || previous === undefined) return;
  log.warn({ previous, gateway }, gatewayChangeMessage(previous, gateway));
}

function gatewayChangeMessage(previous: Gateway, gateway: Gateway): string {
  const change = `this database was last used with WA_GATEWAY=${previous} and now starts with WA_GATEWAY=${gateway}`;
  if (gateway === 'cloud') {
    return (
      `${change}: what the sandbox stored stays (messages with simulated customers, settings, users); contact checks ` +
      'it cached are answered until they expire (POST /v1/contacts with "force_check": true skips them), and the registration is now the number\'s at Meta'
    );
  }
  return `${change}: messages now go to the simulated network, not to real customers; what was exchanged through Meta stays in the database`;
}
