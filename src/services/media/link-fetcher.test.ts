// The guarded link fetcher against a real loopback server, with a stand-in resolver: connect-time address
// checks (a name is judged by what it resolves to, and the connection goes to that very address), size and time
// bounds, and links it never fetches.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseLinkAllowList } from '../../lib/link-allow-list.js';
import { createLinkFetcher, LinkFetchError, type LinkFetcher } from './link-fetcher.js';

describe('guarded link fetcher', () => {
  let server: http.Server;
  let port = 0;
  const fetchers: LinkFetcher[] = [];
  const resolved: string[] = [];
  /** Names in the .test domain resolve here, never through the system's DNS. */
  const names: Record<string, string[]> = {};
  const fetcher = (allow: string, timeoutMs = 2000) => {
    const created = createLinkFetcher({
      allow: parseLinkAllowList(allow),
      timeoutMs,
      resolve: async (name) => {
        resolved.push(name);
        if (!names[name]) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
        return names[name]!;
      },
    });
    fetchers.push(created);
    return created;
  };
  const read = async (f: LinkFetcher, url: string, maxBytes = 1_000_000) => {
    const link = await f.open(url, { maxBytes });
    let size = 0;
    for await (const chunk of link.body) size += chunk.length;
    return size;
  };
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof LinkFetchError, String(error));
    return error.message;
  };

  before(async () => {
    server = http.createServer((request, response) => {
      if (request.url === '/stall-headers') return;
      if (request.url === '/stall-body') {
        response.writeHead(200, { 'content-type': 'image/png' }).write('partial');
        return;
      }
      if (request.url === '/big')
        return void response.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000));
      response.writeHead(200, { 'content-type': 'text/plain' }).end('0123456789');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await Promise.all(fetchers.map((f) => f.close()));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('judges a host name by the addresses it resolves to at connect time, and connects to the address it checked', async () => {
    names['rebind.test'] = ['127.0.0.1'];
    names['mixed.test'] = ['93.184.216.34', '10.0.0.8'];
    names['files.test'] = ['127.0.0.1'];
    const strict = fetcher('');
    assert.match(
      await refusal(read(strict, `http://rebind.test:${port}/`)),
      /^127\.0\.0\.1 is a loopback address \(rebind\.test resolves to it\)/,
    );
    assert.match(await refusal(read(strict, 'http://mixed.test/')), /^10\.0\.0\.8 is a private address/);
    assert.match(await refusal(read(strict, 'http://nowhere.test/')), /nowhere\.test cannot be resolved \(ENOTFOUND\)/);
    // Only the resolver knows files.test: reaching the server proves the socket went to the address it answered.
    assert.equal(await read(fetcher(`files.test:${port}`), `http://files.test:${port}/`), 10);
    assert.ok(resolved.includes('files.test'));
  });

  it('bounds the size, announced or not, and the time, for headers and for the body', async () => {
    const f = fetcher(`127.0.0.1:${port}`, 300);
    assert.match(
      await refusal(read(f, `http://127.0.0.1:${port}/big`, 4999)),
      /^the file is 5000 bytes, more than the 4999 allowed$/,
    );
    assert.match(
      await refusal(read(f, `http://127.0.0.1:${port}/small`, 9)),
      /^the file is larger than the 9 bytes allowed$/,
    );
    assert.match(
      await refusal(read(f, `http://127.0.0.1:${port}/stall-headers`)),
      /^no complete answer within 300 ms$/,
    );
    assert.match(await refusal(read(f, `http://127.0.0.1:${port}/stall-body`)), /^no complete answer within 300 ms$/);
  });

  it('never fetches other schemes or URLs with credentials in them', async () => {
    const f = fetcher(`127.0.0.1:${port}`);
    assert.match(await refusal(f.open('ftp://127.0.0.1/x', { maxBytes: 10 })), /ftp: links are not fetched/);
    assert.match(
      await refusal(f.open(`http://u:p@127.0.0.1:${port}/`, { maxBytes: 10 })),
      /configure a media provider/,
    );
    assert.match(await refusal(f.open('not a url', { maxBytes: 10 })), /is not a valid URL/);
  });
});
