// The real process with clients that keep sending or keep their connection after an early answer
// (src/http/connections.ts): plain node:http uploads read their 413, and SIGTERM still ends cleanly.
// A separate process matters here: in one process the client and the server share an event loop, and the reset
// that cost clients their 413 did not show.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { loginInFlight, startServer } from '../support/process.js';
import { assertTooLarge, connectRaw, requestHead, type RawAnswer, type RawConnection } from '../support/raw-http.js';

const ADMIN_PASSWORD = 'Early-Admin-Pass1!';
const API_KEY = 'early-answers-api-key-1';
const MB = 1024 * 1024;
const TRIES = 10;

/** One upload through node:http, the whole body written at once as plain clients do; rejects on a socket error. */
function uploadWithNodeHttp(url: string, token: string, contentType: string, size: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': size },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: {}, body }));
      response.on('error', reject);
    });
    request.end(Buffer.alloc(size, 1));
  });
}

describe('openprem start and early answers', () => {
  let dataDir: string;
  let database: TestDatabase;
  let env: Record<string, string>;
  const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
  const tokenOf = async (url: string) => {
    const login = await fetch(`${url}/v1/users/login`, { method: 'POST', headers: { authorization: basic } });
    return ((await login.json()) as { users: { token: string }[] }).users[0]!.token;
  };

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-early-'));
    database = await createTestDatabase(dataDir);
    env = { ...database.env, WA_ADMIN_PASSWORD: ADMIN_PASSWORD, WA_API_KEY: API_KEY };
  });
  after(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers an oversized upload through node:http with the 413 envelope, every time', async () => {
    const server = await startServer(env);
    try {
      const token = await tokenOf(server.url);
      for (let i = 1; i <= TRIES; i++) {
        assertTooLarge(
          await uploadWithNodeHttp(`${server.url}/v1/settings/profile/photo`, token, 'image/jpeg', 8 * MB),
          `photo, try ${i}`,
        );
        assertTooLarge(
          await uploadWithNodeHttp(`${server.url}/v1/media`, token, 'image/jpeg', 8 * MB),
          `media, try ${i}`,
        );
      }
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });

  it('on SIGTERM answers the request in flight, closes early-answered and idle connections, and exits 0', async () => {
    const server = await startServer(env);
    const raws: RawConnection[] = [];
    try {
      const port = Number(new URL(server.url).port);
      const token = await tokenOf(server.url);
      // Two answered from their headers, 10 of their 1000 body bytes sent; one idle after its answer. All kept open.
      const requests: [head: string, bodyBytes: number, status: number][] = [
        [requestHead(['POST /nowhere HTTP/1.1', 'host: x', 'content-type: application/octet-stream'], 1000), 10, 404],
        [
          requestHead(
            [
              'POST /v1/settings/profile/photo HTTP/1.1',
              'host: x',
              `authorization: Bearer ${token}`,
              'content-type: application/pdf',
            ],
            1000,
          ),
          10,
          400,
        ],
        ['GET / HTTP/1.1\r\nhost: x\r\n\r\n', 0, 200],
      ];
      for (const [head, bodyBytes, status] of requests) {
        const raw = await connectRaw(port);
        raws.push(raw);
        raw.socket.write(head);
        raw.socket.write(Buffer.alloc(bodyBytes));
        assert.equal((await raw.nextAnswer()).status, status);
      }
      const login = await loginInFlight(server.url, ADMIN_PASSWORD, API_KEY);
      server.child.kill('SIGTERM');
      assert.equal((await login.response).status, 200);
      for (const raw of raws) await raw.serverEnded();
      assert.equal(await server.exited, 0, server.output());
      assert.doesNotMatch(server.output(), /shutdown took too long/);
    } finally {
      for (const raw of raws) raw.socket.destroy();
      server.child.kill('SIGKILL');
    }
  });
});
