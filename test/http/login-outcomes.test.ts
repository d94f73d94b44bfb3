// What a login leaves behind besides its answer: whether the built-in admin's first login is still pending (the
// start-up notice reads it: src/cli.ts), and the log line of a failed login, which tells a known user from an
// unknown one. Found missing by the mutation run (README.md#mutation-testing).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';

describe("the built-in admin's first login", () => {
  const suite = suiteScope();
  let t: TestNode;
  before(async () => {
    t = await startTestNode(suite, { env: { WA_ADMIN_PASSWORD: '' } });
  });

  it('is pending until the default password has been changed', async () => {
    assert.equal(await t.node.users.firstLoginPending(), true);
    const changed = await t.request({
      method: 'POST',
      url: '/v1/users/login',
      basic: ['admin', 'secret'],
      body: { new_password: 'New-Admin1!' },
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(await t.node.users.firstLoginPending(), false);
  });
});

describe('the built-in admin created with WA_ADMIN_PASSWORD', () => {
  const suite = suiteScope();
  let t: TestNode;
  before(async () => {
    t = await startTestNode(suite);
  });

  it('has no first login pending', async () => {
    assert.equal(await t.node.users.firstLoginPending(), false);
  });
});

describe('the log line of a failed login', () => {
  const suite = suiteScope();
  let t: TestNode;
  let logs: LogCapture;
  before(async () => {
    logs = captureLogs('info');
    t = await startTestNode(suite, { logger: logs.logger });
    await t.userToken('dave1', 'Dave-Pass1!');
  });

  it('says whether the username exists', async () => {
    const since = logs.mark();
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['dave1', 'Wrong-Pass1!'] })).status,
      401,
    );
    assert.equal(
      (await t.request({ method: 'POST', url: '/v1/users/login', basic: ['nobody1', 'Wrong-Pass1!'] })).status,
      401,
    );
    const failed = logs.withMessage('login failed', since);
    assert.deepEqual(
      failed.map((line) => [line.username, line.knownUser]),
      [
        ['dave1', true],
        ['nobody1', false],
      ],
    );
  });
});
