// No request of any shape crashes the node or leaves unenveloped: every route gets hostile bodies, and the raw
// socket gets what an HTTP parser refuses.
import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { ADMIN_PASSWORD, startAdminNode, suiteScope, type TestNode, type TestResponse } from '../support/harness.js';

const HOSTILE_BODIES: [string, string][] = [
  ['an array', '[]'],
  ['a string', '"contacts"'],
  ['a number', '42'],
  ['null', 'null'],
  ['prototype pollution', '{"__proto__":{"admin":true},"contacts":["1"]}'],
  ['constructor pollution', '{"constructor":{"prototype":{"admin":true}}}'],
  ['deep nesting', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`],
  [
    'a very long string',
    JSON.stringify({ contacts: ['9'.repeat(100_000)], username: 'x'.repeat(100_000), password: 'y' }),
  ],
  ['wrong types everywhere', '{"contacts":{},"blocking":7,"force_check":"yes","username":[],"password":{},"name":5}'],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1')],
  ['a truncated document', '{"contacts":["1631555'],
];

function assertEnveloped(response: TestResponse, what: string): void {
  assert.ok(
    response.status >= 200 && response.status < 500,
    `${what}: status ${response.status} ${response.text.slice(0, 300)}`,
  );
  assert.ok(response.body && typeof response.body === 'object', `${what}: not JSON: ${response.text.slice(0, 300)}`);
  assert.ok(response.body.meta, `${what}: no meta`);
  if (response.status >= 400) {
    assert.equal(typeof response.body.errors?.[0]?.code, 'number', `${what}: no error code`);
  }
}

describe('robustness', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => ({ t, admin } = await startAdminNode(suite)));

  it('answers every hostile body on every route in the envelope, never with a 5xx', async () => {
    const routes = t.node.app.server.printRoutes({ commonPrefix: false });
    assert.ok(routes.includes('contacts'));
    const targets: [string, string][] = [
      ['POST', '/v1/users/login'],
      ['POST', '/v1/users/logout'],
      ['POST', '/v1/users'],
      ['PUT', '/v1/users/admin'],
      ['POST', '/v1/contacts'],
      ['PATCH', '/sandbox/customers/16315551000'],
      ['POST', '/v1/messages'],
      ['PUT', '/v1/messages/wamid.x'],
      ['POST', '/sandbox/inbound'],
      ['PATCH', '/v1/settings/application'],
      ['POST', '/sandbox/templates'],
      ['POST', '/v1/account'],
      ['POST', '/v1/account/verify'],
      ['POST', '/v1/account/shards'],
      ['POST', '/v1/settings/backup'],
      ['POST', '/v1/settings/restore'],
      ['PATCH', '/v1/settings/profile/about'],
      ['POST', '/v1/settings/profile/photo'],
      ['POST', '/v1/settings/business/profile'],
      ['POST', '/v1/settings/account/two-step'],
      ['PUT', '/v1/contacts/16315551000/identity'],
      ['POST', '/v1/stickerpacks'],
      ['PATCH', '/v1/stickerpacks/x'],
      ['POST', '/v1/stickerpacks/x/stickers'],
      ['PATCH', '/v1/stickerpacks/x/stickers/0'],
      ['POST', '/v1/groups'],
    ];
    for (const [method, url] of targets) {
      for (const [name, payload] of HOSTILE_BODIES) {
        const response = await t.request({
          method: method as 'POST',
          url,
          token: admin,
          payload,
          headers: { 'content-type': 'application/json' },
          ...(url.endsWith('/login') ? { basic: ['admin', 'wrong-password'] as [string, string] } : {}),
        });
        assertEnveloped(response, `${method} ${url} with ${name}`);
      }
    }
    // Prototype pollution reached nothing.
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });

  it('refuses the NUL character in bodies, paths and queries with 400 / 1009 (PostgreSQL cannot store it)', async () => {
    const token = await t.login('admin', ADMIN_PASSWORD);
    const send = await t.request({
      method: 'POST',
      url: '/v1/messages',
      token,
      body: { to: '16315551000', text: { body: 'a\u0000b' } },
    });
    assertError(send, 400, 1009, /NUL/);
    const template = {
      to: '16315551000',
      type: 'template',
      template: { namespace: 'a\u0000', name: 'x', language: { code: 'en' } },
    };
    assertError(await t.request({ method: 'POST', url: '/v1/messages', token, body: template }), 400, 1009, /NUL/);
    assertError(
      await t.request({ method: 'PUT', url: '/v1/messages/wamid.%00', token, body: { status: 'read' } }),
      400,
      1009,
      /path parameter id/,
    );
    assertError(
      await t.request({ url: '/sandbox/templates/openprem_sandbox/hello%00/en_US', token }),
      400,
      1009,
      /NUL/,
    );
    assertError(
      await t.request({ url: '/x/v1/webhooks/deliveries?state=%00', token }),
      400,
      1009,
      /query parameter state/,
    );
    // An escaped backslash followed by the text u0000 is not a NUL.
    const literal = await t.request({
      method: 'POST',
      url: '/v1/messages',
      token,
      body: { to: '16315551000', text: { body: 'C:\\u0000' } },
    });
    assert.equal(literal.status, 201, literal.text);
  });

  it('answers bad URLs, odd methods and odd paths in the envelope', async () => {
    // A fresh token: the hostile-body test above logged the shared one out.
    const token = await t.login('admin', ADMIN_PASSWORD);
    const cases: [string, string, number][] = [
      ['GET', '/v1/users/%E0%A4%A', 400],
      ['GET', `/v1/users/${'a'.repeat(300)}`, 400],
      ['GET', '//v1//health', 404],
      ['OPTIONS', '/v1/contacts', 404],
      ['HEAD', '/v1/nothing', 404],
      ['GET', '/v1/users/admin?x=%ZZ', 200],
      ['GET', '/../../etc/passwd', 404],
    ];
    for (const [method, url, status] of cases) {
      const response = await t.request({ method: method as 'GET', url, token });
      assert.equal(response.status, status, `${method} ${url.slice(0, 60)}: ${response.text.slice(0, 300)}`);
      if (method !== 'HEAD') assertEnveloped(response, `${method} ${url}`);
    }
  });

  it('answers what the HTTP parser refuses in the envelope, and keeps serving', async () => {
    const { port } = (await t.node.app.server
      .listen({ port: 0, host: '127.0.0.1' })
      .then(() => t.node.app.server.server.address())) as net.AddressInfo;
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    const garbage = await raw('GARBAGE\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    assert.match(garbage, /"code":1025/);
    const oversized = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(oversized, /^HTTP\/1\.1 431 /);
    assert.match(oversized, /"meta":\{"api_status":"stable"/);
    const health = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(health.status, 200);
  });
});
