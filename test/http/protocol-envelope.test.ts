// What Node's HTTP server would answer bare, before Fastify (src/http/hooks/protocol-checks.ts and the
// clientErrorHandler of src/http/error-handler.ts), leaves in the envelope over a real socket, and the node serves on.
import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, it } from 'node:test';
import tls from 'node:tls';
import { startTestNode, suiteScope, type TestNode } from '../support/harness.js';

describe('answers made before routing, over a raw socket', () => {
  let t: TestNode;
  let port: number;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
    await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
    port = (t.node.app.server.server.address() as net.AddressInfo).port;
  });

  /** Sends `text` and reads until the server closes (every refusal here closes the connection). */
  const raw = (text: string) =>
    new Promise<{ status: number; headers: string; body: any; text: string }>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
      let answer = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
      socket.on('close', () => {
        const [head = '', body = ''] = answer.split('\r\n\r\n');
        resolve({
          status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]),
          headers: head,
          body: body.startsWith('{') ? JSON.parse(body) : undefined,
          text: answer,
        });
      });
      socket.on('error', reject);
    });
  const assertEnvelope = (answer: { status: number; body: any }, status: number, details: RegExp) => {
    assert.equal(answer.status, status, JSON.stringify(answer));
    assert.equal(answer.body.errors[0].code, 1025);
    assert.match(answer.body.errors[0].details, details);
    assert.equal(answer.body.meta.api_status, 'stable');
  };

  it('an HTTP/1.1 request without Host: 400 / 1025 in the envelope, with a request id', async () => {
    const answer = await raw('GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
    assertEnvelope(answer, 400, /Host header/);
    assert.match(answer.headers, /\r\nx-request-id: [\w-]+/i);
    // A POST with a body, too, before the body is read.
    assertEnvelope(
      await raw(
        'POST /v1/users/login HTTP/1.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
      ),
      400,
      /Host header/,
    );
  });

  it('HTTP/1.0 needs no Host, and an empty Host is valid', async () => {
    assert.equal((await raw('GET / HTTP/1.0\r\n\r\n')).status, 200);
    assert.equal((await raw('GET / HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n')).status, 200);
  });

  it('an Expect other than 100-continue: 417 in the envelope; 100-continue still works', async () => {
    assertEnvelope(
      await raw('GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n'),
      417,
      /Expect: teapot is not supported/,
    );
    const continued = await raw('GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n');
    assert.equal(continued.status, 100);
    assert.match(continued.text, /\r\n\r\nHTTP\/1\.1 200 /);
  });

  it('a bad request line and oversized headers are enveloped, and the node keeps serving', async () => {
    assertEnvelope(await raw('GARBAGE\r\n\r\n'), 400, /not valid HTTP/);
    assertEnvelope(
      await raw('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
      400,
      /not valid HTTP/,
    );
    assertEnvelope(
      await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
      431,
      /headers are too large/,
    );
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
  });
});

describe('a request without Host over HTTPS (WA_TLS=self-signed)', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_TLS: 'self-signed' } });
  });

  it('is answered in the envelope too (the HTTPS server has its own options)', async () => {
    const port = Number(new URL(await t.node.app.server.listen({ host: '127.0.0.1', port: 0 })).port);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () =>
        socket.write('GET / HTTP/1.1\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /"code":1025.*Host header/);
  });
});
