// The real process with live event streams open (GET /x/v1/events): SIGTERM ends them at once and the process
// exits 0 promptly, instead of waiting for clients that would never close them (the shutdown timeout is 10 s).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { openEventStream } from '../support/event-stream.js';
import { startServer } from '../support/process.js';

const ADMIN_PASSWORD = 'Live-Admin-Pass1!';

describe('openprem start with live event streams', () => {
  let dataDir: string;
  let database: TestDatabase;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-live-'));
    database = await createTestDatabase(dataDir);
  });
  after(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ends the streams on SIGTERM and exits 0 at once', async () => {
    const server = await startServer({ ...database.env, WA_ADMIN_PASSWORD: ADMIN_PASSWORD });
    try {
      const login = await fetch(`${server.url}/v1/users/login`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
      });
      const token = ((await login.json()) as { users: { token: string }[] }).users[0]!.token;
      const streams = await Promise.all([1, 2, 3].map(() => openEventStream(server.url, token)));
      for (const stream of streams) await stream.next((e) => e.event === 'deliveries');
      const started = performance.now();
      server.child.kill('SIGTERM');
      await Promise.all(streams.map((stream) => stream.ended));
      assert.equal(await server.exited, 0, server.output());
      const ms = performance.now() - started;
      assert.ok(ms < 3000, `exited ${Math.round(ms)} ms after SIGTERM`);
      assert.doesNotMatch(server.output(), /shutdown took too long/);
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
