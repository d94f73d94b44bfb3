// Successful replies to writes wait for the database's durability barrier; reads and refusals do not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { ApiError } from '../../errors.js';
import { registerErrorHandler } from '../error-handler.js';
import { registerDurableReplies } from './durable-replies.js';

function appWithBarrier(durable: () => Promise<void>) {
  const app = Fastify();
  registerErrorHandler(app);
  registerDurableReplies(app, { durable });
  app.post('/write', async (_request, reply) => reply.code(201).send({ ok: true }));
  app.post('/refused', async () => {
    throw new ApiError('invalidParameter', 'no');
  });
  app.get('/read', async () => ({ ok: true }));
  return app;
}

describe('durable replies', () => {
  it('holds a successful write reply until the barrier resolves', async () => {
    let release!: () => void;
    let calls = 0;
    const app = appWithBarrier(() => {
      calls++;
      return new Promise<void>((resolve) => (release = resolve));
    });
    let answered = false;
    const reply = app.inject({ method: 'POST', url: '/write' }).then((r) => {
      answered = true;
      return r;
    });
    while (calls === 0) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(answered, false, 'the 201 left before the commit was on disk');
    release();
    assert.equal((await reply).statusCode, 201);
  });

  it('answers reads and refusals without waiting', async () => {
    let calls = 0;
    const app = appWithBarrier(async () => void calls++);
    assert.equal((await app.inject({ method: 'GET', url: '/read' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: '/refused' })).statusCode, 400);
    assert.equal(calls, 0);
  });

  it('answers 500 / 1023 when the write cannot be flushed', async () => {
    const app = appWithBarrier(async () => {
      throw new Error('EIO');
    });
    const response = await app.inject({ method: 'POST', url: '/write' });
    assert.equal(response.statusCode, 500);
    assert.equal(response.json().errors[0].code, 1023);
    assert.match(response.json().errors[0].details, /could not be flushed to disk: EIO/);
  });
});
