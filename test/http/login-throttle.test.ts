// Login throttling (src/services/login-throttle.ts): guessing is slowed per (username, address), per address and
// per username, and nobody guessing from elsewhere can keep a user with the right password out.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, beforeEach, describe, it } from 'node:test';
import {
  ADDRESS_FREE_FAILURES,
  FORGET_AFTER_MS,
  PAIR_FREE_FAILURES,
  USERNAME_FREE_FAILURES,
} from '../../src/services/login-throttle.js';
import { assertError } from '../support/assertions.js';
import { ADMIN_PASSWORD, startTestNode, suiteScope, type TestNode } from '../support/harness.js';

const VICTIM: [string, string] = ['victim', 'Victim-Pass1!'];

/** A login over a real socket whose local end is bound to `localAddress` (any of 127/8 reaches loopback). */
function socketLogin(
  port: number,
  localAddress: string,
  [username, password]: [string, string],
  headers: Record<string, string> = {},
) {
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return new Promise<{ status: number; body: string; retryAfter: string | undefined }>((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port,
      localAddress,
      method: 'POST',
      path: '/v1/users/login',
      agent: false,
      headers: { ...headers, authorization },
    };
    const request = http.request(options, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body, retryAfter: response.headers['retry-after'] }),
      );
    });
    request.on('error', reject).end();
  });
}

describe('login throttling', () => {
  let t: TestNode;
  let port: number;
  const login = (credentials: [string, string], remoteAddress: string) =>
    t.request({ method: 'POST', url: '/v1/users/login', basic: credentials, remoteAddress });
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
    await t.userToken(...VICTIM);
    await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
    port = (t.node.app.server.server.address() as AddressInfo).port;
  });
  // Every test starts from forgotten failures.
  beforeEach(() => t.clock.advance(FORGET_AFTER_MS + 1));

  it('failures from 127.0.0.2 do not keep the admin out on 127.0.0.1; 127.0.0.2 itself is throttled', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 30; i++)
      answers.push((await socketLogin(port, '127.0.0.2', ['admin', `Wrong-Guess${i}!`])).status);
    assert.deepEqual(answers.slice(0, PAIR_FREE_FAILURES), Array(PAIR_FREE_FAILURES).fill(401));
    assert.ok(
      answers.slice(PAIR_FREE_FAILURES).every((status) => status === 429),
      answers.join(' '),
    );

    const admin = await socketLogin(port, '127.0.0.1', ['admin', ADMIN_PASSWORD]);
    assert.equal(admin.status, 200, admin.body);
    // The guessing address is refused even with the right password, with the On-Prem refusal.
    const guesser = await socketLogin(port, '127.0.0.2', ['admin', ADMIN_PASSWORD]);
    assert.equal(guesser.status, 429, guesser.body);
    assert.equal(JSON.parse(guesser.body).errors[0].code, 1015);
    assert.ok(Number(guesser.retryAfter) >= 1, `retry-after: ${guesser.retryAfter}`);
  });

  it(`after ${PAIR_FREE_FAILURES} failures an address waits Retry-After for that username, then is let in`, async () => {
    for (let i = 0; i < PAIR_FREE_FAILURES; i++)
      assertError(await login([VICTIM[0], `Wrong-Pass${i}!`], '10.0.0.7'), 401, 1005);
    const locked = await login(VICTIM, '10.0.0.7');
    assertError(locked, 429, 1015);
    assert.equal(locked.headers['retry-after'], '1');
    t.clock.advance(999);
    assertError(await login(VICTIM, '10.0.0.7'), 429, 1015);
    t.clock.advance(1);
    assert.equal((await login(VICTIM, '10.0.0.7')).status, 200);
  });

  it('a successful login clears the count of its (username, address)', async () => {
    for (let i = 0; i < PAIR_FREE_FAILURES - 1; i++)
      assertError(await login([VICTIM[0], `Wrong-Pass${i}!`], '10.0.0.8'), 401, 1005);
    assert.equal((await login(VICTIM, '10.0.0.8')).status, 200);
    for (let i = 0; i < PAIR_FREE_FAILURES - 1; i++)
      assertError(await login([VICTIM[0], `Wrong-Pass${i}!`], '10.0.0.8'), 401, 1005);
    assert.equal(
      (await login(VICTIM, '10.0.0.8')).status,
      200,
      "without the clearing this would be the pair's 8th failure",
    );
  });

  it('an address spraying many usernames is throttled for all of them; other addresses are not', async () => {
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++)
      assertError(await login([`guess${i}`, 'Guess-Pass1!'], '10.0.0.9'), 401, 1005);
    assertError(await login(VICTIM, '10.0.0.9'), 429, 1015);
    assert.equal((await login(VICTIM, '10.0.0.10')).status, 200);
  });

  it('guessing spread over many addresses meets the username ceiling, for failing addresses only', async () => {
    for (let i = 0; i < USERNAME_FREE_FAILURES; i++) {
      assertError(await login([VICTIM[0], `Wrong-Pass${i}!`], `10.2.${i >> 8}.${i & 255}`), 401, 1005);
    }
    assertError(await login(VICTIM, '10.2.0.0'), 429, 1015);
    assertError(await login([VICTIM[0], 'Another-Guess1!'], '10.2.0.1'), 429, 1015);
    // An address that has not failed still gets its password checked: the right one is let in.
    assert.equal((await login(VICTIM, '10.3.0.1')).status, 200);
  });
});

describe('login throttling behind a trusted proxy (WA_TRUST_PROXY)', () => {
  let t: TestNode;
  let port: number;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_TRUST_PROXY: '127.0.0.1' } });
    await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
    port = (t.node.app.server.server.address() as AddressInfo).port;
  });

  it('keys on the client address the proxy forwards, not on the proxy', async () => {
    const forwardedFor = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i < PAIR_FREE_FAILURES; i++) {
      assert.equal(
        (await socketLogin(port, '127.0.0.1', ['admin', `Wrong-Guess${i}!`], forwardedFor('203.0.113.7'))).status,
        401,
      );
    }
    assert.equal(
      (await socketLogin(port, '127.0.0.1', ['admin', ADMIN_PASSWORD], forwardedFor('203.0.113.7'))).status,
      429,
    );
    assert.equal(
      (await socketLogin(port, '127.0.0.1', ['admin', ADMIN_PASSWORD], forwardedFor('198.51.100.1'))).status,
      200,
    );
    // An untrusted peer's X-Forwarded-For is ignored: 127.0.0.2 is counted as itself.
    for (let i = 0; i < PAIR_FREE_FAILURES; i++) {
      assert.equal(
        (await socketLogin(port, '127.0.0.2', ['admin', `Wrong-Guess${i}!`], forwardedFor('198.51.100.1'))).status,
        401,
      );
    }
    assert.equal(
      (await socketLogin(port, '127.0.0.1', ['admin', ADMIN_PASSWORD], forwardedFor('198.51.100.1'))).status,
      200,
    );
    assert.equal((await socketLogin(port, '127.0.0.2', ['admin', ADMIN_PASSWORD])).status, 429);
  });
});
