// What a start says about the database it finds: WA_SANDBOX_REGISTERED where it has no effect, and a gateway other
// than the one the database was last used with (src/services/start-notices.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import pino from 'pino';
import { createInstallationRepository } from '../../src/db/repositories/installation.js';
import { reportStartNotices, type StartNoticesInput } from '../../src/services/start-notices.js';
import { startTestNode, suiteScope, type TestNode } from '../support/harness.js';

interface LogLine {
  level: number;
  msg: string;
}

const WARN = 40;
const INFO = 30;

function capturingLogger() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines, about: (pattern: RegExp) => lines.filter((line) => pattern.test(line.msg)) };
}

describe('start-up notices', () => {
  let first: TestNode;
  const suite = suiteScope();
  before(async () => (first = await startTestNode(suite, { env: { WA_SANDBOX_REGISTERED: 'false' } })));

  it('WA_SANDBOX_REGISTERED on a new database is applied and not reported', async () => {
    assert.equal(
      (await first.request({ url: '/v1/health', token: await first.adminToken() })).body.health.gateway_status,
      'unregistered',
    );
  });

  it('WA_SANDBOX_REGISTERED set on an existing database is logged with what the database holds', async (t) => {
    // Later nodes on the same database (the first one stays up, as nodes of one cluster do); each closes once it has
    // started, as only its start-up lines matter.
    const contradicting = capturingLogger();
    const second = await startTestNode(t, {
      shareDatabaseOf: first,
      env: { WA_SANDBOX_REGISTERED: 'true' },
      logger: contradicting.logger,
    });
    assert.deepEqual(
      contradicting.about(/WA_SANDBOX_REGISTERED/).map(({ level, msg }) => ({ level, msg })),
      [
        {
          level: WARN,
          msg:
            'WA_SANDBOX_REGISTERED=true has no effect: it is read only when the database is new, and this one is already not registered; ' +
            'register with POST /v1/account then POST /v1/account/verify',
        },
      ],
    );
    assert.equal(second.node.account.connection(), 'unregistered', 'the stored registration is kept');
    await second.close();
    const agreeing = capturingLogger();
    await (
      await startTestNode(t, {
        shareDatabaseOf: first,
        env: { WA_SANDBOX_REGISTERED: 'false' },
        logger: agreeing.logger,
      })
    ).close();
    assert.deepEqual(
      agreeing.about(/WA_SANDBOX_REGISTERED/).map(({ level }) => level),
      [INFO],
    );
    const unset = capturingLogger();
    await (
      await startTestNode(t, { shareDatabaseOf: first, env: { WA_SANDBOX_REGISTERED: '' }, logger: unset.logger })
    ).close();
    assert.deepEqual(
      unset.about(/WA_SANDBOX_REGISTERED|WA_GATEWAY/),
      [],
      'nothing to say when unset and the gateway is the same',
    );
  });

  it('a gateway change is logged once, each way, with what it means', async (t) => {
    const node = await startTestNode(t);
    const log = capturingLogger();
    const input = (gateway: 'sandbox' | 'cloud'): StartNoticesInput => ({
      gateway,
      sandboxRegistered: null,
      registrationIsNew: false,
      connection: 'connected',
      installation: createInstallationRepository(node.node.db.db),
      now: node.clock.now(),
      log: log.logger,
    });
    await reportStartNotices(input('cloud'));
    await reportStartNotices(input('cloud'));
    await reportStartNotices(input('sandbox'));
    assert.deepEqual(
      log.lines.map(({ level, msg }) => ({ level, msg })),
      [
        {
          level: WARN,
          msg:
            'this database was last used with WA_GATEWAY=sandbox and now starts with WA_GATEWAY=cloud: what the sandbox stored stays ' +
            '(messages with simulated customers, settings, users); contact checks it cached are answered until they expire ' +
            '(POST /v1/contacts with "force_check": true skips them), and the registration is now the number\'s at Meta',
        },
        {
          level: WARN,
          msg:
            'this database was last used with WA_GATEWAY=cloud and now starts with WA_GATEWAY=sandbox: messages now go to the simulated ' +
            'network, not to real customers; what was exchanged through Meta stays in the database',
        },
      ],
    );
    const onCloud = capturingLogger();
    await reportStartNotices({ ...input('cloud'), sandboxRegistered: false, log: onCloud.logger });
    assert.deepEqual(
      onCloud.about(/WA_SANDBOX_REGISTERED/).map(({ level, msg }) => ({ level, msg })),
      [
        {
          level: WARN,
          msg: "WA_SANDBOX_REGISTERED=false has no effect with WA_GATEWAY=cloud: the registration is the number's at Meta",
        },
      ],
    );
  });
});
