import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import { createWebhookSender, type SendResult, trustedCertificates } from './http-sender.js';

describe('trustedCertificates', () => {
  it('keeps every default root and adds the uploaded bundle: an internal CA is trusted besides, not instead', () => {
    const bundle = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const list = trustedCertificates(bundle);
    assert.equal(list.at(-1), bundle);
    const defaults = new Set(list.slice(0, -1));
    for (const root of tls.rootCertificates) assert.ok(defaults.has(root), 'a default root is missing');
    assert.ok(defaults.size >= tls.rootCertificates.length);
  });
});

describe('createWebhookSender', () => {
  // What the delivery log records of an attempt, as undici's promise API gave it before the dispatch handler.
  it('answers the status and the first KB, follows no redirect, and bounds the attempt', async (t) => {
    const server = http.createServer((request, response) => {
      if (request.url === '/hang') return;
      if (request.url === '/big') return void response.writeHead(500).end('y'.repeat(5000));
      if (request.url === '/moved') return void response.writeHead(302, { location: '/' }).end('moved');
      response.writeHead(201).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sender = createWebhookSender(300);
    t.after(async () => {
      await sender.close();
      server.closeAllConnections();
      server.close();
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (url: string) => sender.send(url, '{}', { 'content-type': 'application/json' });

    assert.deepEqual(pick(await post(`${base}/`)), [201, 'ok', null]);
    const big = await post(`${base}/big`);
    assert.deepEqual(pick(big), [500, 'y'.repeat(1024), null]);
    assert.deepEqual(pick(await post(`${base}/moved`)), [302, 'moved', null]);
    const hung = await post(`${base}/hang`);
    assert.deepEqual(pick(hung), [null, null, '23: The operation was aborted due to timeout']);
    assert.ok(hung.durationMs >= 290 && hung.durationMs < 2000, `took ${hung.durationMs} ms`);
    assert.match(String((await post('http://127.0.0.1:1/')).error), /^ECONNREFUSED: /);
    assert.match(String((await post('ftp://example.com/')).error), /^UND_ERR_INVALID_ARG: Invalid URL protocol/);
  });
});

function pick(result: SendResult): [number | null, string | null, string | null] {
  return [result.statusCode, result.responseBody, result.error];
}
