// Every redirect status the guarded link fetcher follows (301, 302, 303, 307, 308), and a host name resolved through
// the system's own resolver (localhost). Found missing by the mutation run (README.md#mutation-testing); the guard
// itself: link-fetcher.test.ts.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseLinkAllowList } from '../../lib/link-allow-list.js';
import { createLinkFetcher, LinkFetchError } from './link-fetcher.js';

describe('guarded link fetcher: redirects and the system resolver', () => {
  let server: http.Server;
  let base = '';
  const fetcher = createLinkFetcher({ allow: parseLinkAllowList('127.0.0.1, localhost'), timeoutMs: 2000 });

  before(async () => {
    server = http.createServer((request, response) => {
      const redirect = /^\/redirect\/(\d{3})$/.exec(request.url ?? '');
      if (redirect) return void response.writeHead(Number(redirect[1]), { location: '/final' }).end();
      if (request.url === '/missing') return void response.writeHead(404).end('not here');
      const chain = /^\/chain\/(\d+)$/.exec(request.url ?? '');
      if (chain && chain[1] !== '0')
        return void response.writeHead(302, { location: `/chain/${Number(chain[1]) - 1}` }).end();
      response.writeHead(200, { 'content-type': 'text/plain' }).end('final');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await fetcher.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const open = async (url: string) => {
    const link = await fetcher.open(url, { maxBytes: 1000 });
    const chunks: Buffer[] = [];
    for await (const chunk of link.body) chunks.push(chunk);
    return { url: link.url, body: Buffer.concat(chunks).toString() };
  };

  it('follows each redirect status to the final URL', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      assert.deepEqual(await open(`${base}/redirect/${status}`), { url: `${base}/final`, body: 'final' }, `${status}`);
    }
  });

  // Written out rather than read from MAX_REDIRECTS: 5 is the documented bound (docs/api/media.md#media-by-link).
  it('follows 5 redirects in a row, not 6', async () => {
    assert.equal((await open(`${base}/chain/5`)).body, 'final');
    await assert.rejects(open(`${base}/chain/6`), LinkFetchError);
  });

  it('refuses an answer that is neither a redirect nor a 2xx', async () => {
    await assert.rejects(open(`${base}/missing`), LinkFetchError);
  });

  it('refuses a host whose resolver answers something that is not an address', async () => {
    const odd = createLinkFetcher({ allow: [], timeoutMs: 2000, resolve: async () => ['not-an-address'] });
    try {
      await assert.rejects(
        odd.open('http://media.test/x', { maxBytes: 1000 }),
        /resolved to not-an-address, which is not an IP address/,
      );
    } finally {
      await odd.close();
    }
  });

  it('resolves a host name with the system resolver when none is given', async () => {
    const url = base.replace('127.0.0.1', 'localhost');
    assert.equal((await open(`${url}/final`)).body, 'final');
  });
});
