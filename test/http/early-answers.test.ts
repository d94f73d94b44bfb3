// Answers that leave before the request body has arrived (src/http/connections.ts), on a real port: the client
// reads them, the rest of the body is read and thrown away within bounds, and a connection left open is closed.
import assert from 'node:assert/strict';
import type net from 'node:net';
import { before, describe, it } from 'node:test';
import { LINGER_BYTES, LINGER_MS } from '../../src/http/connections.js';
import { eventually, startAdminNode, suiteScope, type TestNode } from '../support/harness.js';
import { assertTooLarge, connectRaw, requestHead, within, writeBody } from '../support/raw-http.js';

const MB = 1024 * 1024;

describe('answers sent before the request body', () => {
  let t: TestNode;
  let port: number;
  let token: string;
  const photoHead = (size: number) =>
    requestHead(
      [
        'POST /v1/settings/profile/photo HTTP/1.1',
        'host: x',
        `authorization: Bearer ${token}`,
        'content-type: image/jpeg',
      ],
      size,
    );
  const unknownPathHead = (size: number) =>
    requestHead(['POST /nowhere HTTP/1.1', 'host: x', 'content-type: application/octet-stream'], size);

  const suite = suiteScope();
  before(async () => {
    ({ t, admin: token } = await startAdminNode(suite));
    await t.node.app.server.listen({ port: 0, host: '127.0.0.1' });
    port = (t.node.app.server.server.address() as net.AddressInfo).port;
  });
  const openConnections = () =>
    new Promise<number>((resolve, reject) =>
      t.node.app.server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );

  it('close by a half-close, and the rest of the body is still read', async () => {
    const raw = await connectRaw(port);
    raw.socket.write(photoHead(8 * MB));
    const answer = await raw.nextAnswer();
    assertTooLarge(answer, 'photo');
    assert.equal(answer.headers.connection, 'close');
    await raw.serverEnded();
    // Writing on is answered by a reset (EPIPE / ECONNRESET here) if the server has stopped reading.
    assert.equal(await writeBody(raw.socket, 8 * MB), true);
    raw.socket.end();
    assert.equal(await raw.closed, null);
  });

  it('cut off a client that goes on sending past the bound', async () => {
    const raw = await connectRaw(port);
    raw.socket.write(photoHead(4 * LINGER_BYTES));
    assertTooLarge(await raw.nextAnswer(), 'photo');
    assert.equal(await writeBody(raw.socket, 4 * LINGER_BYTES), false, 'the server read the whole body');
    await raw.closed;
  });

  it('keep the connection when the body ends, and close it when the client stops sending', async () => {
    const finishing = await connectRaw(port);
    finishing.socket.write(unknownPathHead(1000));
    finishing.socket.write(Buffer.alloc(10));
    assert.equal((await finishing.nextAnswer()).status, 404);
    await writeBody(finishing.socket, 990);
    finishing.socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    assert.equal((await finishing.nextAnswer()).status, 200);
    finishing.socket.destroy();

    const stalled = await connectRaw(port);
    stalled.socket.write(unknownPathHead(1000));
    stalled.socket.write(Buffer.alloc(10));
    assert.equal((await stalled.nextAnswer()).status, 404);
    // Nothing more is sent: the server gives up on the body after LINGER_MS. Node alone would keep the connection
    // until its keep-alive timeout (72 s).
    await within(stalled.serverEnded(), 5 * LINGER_MS, 'the server closes the stalled connection');
    stalled.socket.destroy();
  });

  it('do not serve a request sent behind the body on the closed connection', async () => {
    const raw = await connectRaw(port);
    raw.socket.write(photoHead(6 * MB));
    assertTooLarge(await raw.nextAnswer(), 'photo');
    await writeBody(raw.socket, 6 * MB);
    const user = JSON.stringify({ username: 'behind-the-body', password: 'Behind-Pass1!' });
    raw.socket.write(
      requestHead(
        ['POST /v1/users HTTP/1.1', 'host: x', `authorization: Bearer ${token}`, 'content-type: application/json'],
        user.length,
      ),
    );
    raw.socket.write(user);
    // Refused, the connection goes at once; served, it would linger (LINGER_MS) long after the user was created.
    await eventually(async () => ((await openConnections()) === 0 ? true : undefined), 10_000);
    raw.socket.destroy();
    assert.equal((await t.request({ url: '/v1/users/behind-the-body', token })).status, 404);
  });
});
