// The connection bounds a node puts on its HTTP server (src/http/connection-limits.ts): the configured timeouts, and
// WA_MAX_CONNECTIONS across all addresses. The per-address cap and the 408 answers: request-bounds.test.ts. Found
// missing by the mutation run (README.md#mutation-testing).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { before, describe, it } from 'node:test';
import { startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { getFrom, openConnection } from '../support/stalled-requests.js';

describe('connection bounds of the HTTP server', () => {
  const suite = suiteScope();
  let t: TestNode;
  let port: number;
  before(async () => {
    t = await startTestNode(suite, {
      env: {
        WA_MAX_CONNECTIONS: '2',
        WA_MAX_CONNECTIONS_PER_ADDRESS: 'off',
        WA_HEADERS_TIMEOUT_MS: '7000',
        WA_REQUEST_TIMEOUT_MS: '9000',
        WA_KEEP_ALIVE_TIMEOUT_MS: '4000',
      },
    });
    await t.node.app.server.listen({ port: 0, host: '127.0.0.1' });
    port = (t.node.app.server.server.address() as AddressInfo).port;
  });

  it('applies the configured timeouts', () => {
    const server = t.node.app.server.server;
    assert.deepEqual([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout], [7000, 9000, 4000]);
  });

  it('closes a connection past WA_MAX_CONNECTIONS at once, whatever its address', { timeout: 10_000 }, async () => {
    const open = await Promise.all(['127.0.0.41', '127.0.0.42'].map((address) => openConnection(port, address)));
    const extra = await openConnection(port, '127.0.0.43');
    await extra.closed;
    for (const connection of open) connection.socket.destroy();
    await Promise.all(open.map((connection) => connection.closed));
  });

  it('serves again once connections have closed', async () => {
    assert.equal(await getFrom(port, '/', '127.0.0.44'), 200);
  });
});
