// A client that drops its connection halfway through a body is a client abort, not database trouble: it is logged
// below warn, never as "database unavailable", and touches neither the breaker nor openprem_db_unreachable.
import assert from 'node:assert/strict';
import net from 'node:net';
import { Writable } from 'node:stream';
import { before, describe, it } from 'node:test';
import pino from 'pino';
import { API_KEY, eventually, startTestNode, suiteScope, type TestNode } from '../support/harness.js';

describe('a client that drops mid-body', () => {
  let t: TestNode;
  let port: number;
  const lines: { level: number; msg: string; err?: { code?: string } }[] = [];
  const suite = suiteScope();
  before(async () => {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => done(void lines.push(JSON.parse(chunk.toString('utf8')))),
    });
    t = await startTestNode(suite, { logger: pino({ level: 'debug' }, sink) });
    await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
    port = (t.node.app.server.server.address() as net.AddressInfo).port;
  });

  /** Sends the headers and half of a body that announces 2,000 bytes, then drops the connection. */
  const dropMidBody = (path: string, token: string, contentType: string) =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${contentType}\r\nContent-Length: 2000\r\n\r\n`,
        );
        socket.write(`{"to":"16315551000","text":{"body":"${'a'.repeat(1000)}`, () =>
          setImmediate(() => socket.resetAndDestroy()),
        );
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });

  it('is logged as a client abort, below warn, and the database is not blamed', async () => {
    const token = await t.adminToken();
    for (const [path, contentType] of [
      ['/v1/messages', 'application/json'],
      ['/v1/media', 'image/png'],
    ] as const) {
      const seen = lines.length;
      await dropMidBody(path, token, contentType);
      const abort = await eventually(async () =>
        lines.slice(seen).find((line) => /client closed|database/i.test(line.msg)),
      );
      assert.ok(abort.level < pino.levels.values.warn!, `${path}: logged at ${abort.level}: ${abort.msg}`);
    }
    const database = lines.filter((line) => /database/i.test(line.msg));
    assert.deepEqual(database, []);
    assert.deepEqual(
      lines.filter((line) => line.level >= pino.levels.values.warn!),
      [],
    );

    const metrics = await t.request({ url: '/v1/metrics?format=prometheus', apiKey: API_KEY });
    assert.match(metrics.text, /^openprem_db_unreachable(?:\{[^}]*\})? 0$/m);
    assert.equal(t.node.db.availability(), 'closed', 'the breaker stayed closed');
    assert.equal((await t.request({ url: '/v1/health', token })).status, 200, 'the node keeps serving');
  });
});
