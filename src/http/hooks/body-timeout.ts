// A request body that stops arriving is answered 408 / 1025 in the envelope and its connection closed, freeing its
// in-flight slot. Without it a client sending headers with a large Content-Length and then nothing held a slot of
// the overload guard for ever: measured before this hook, 300 such connections of one ROLE_USER against a bound of
// 200 in flight answered the admin 0 of 100 requests, with no recovery in 60 s (bench/results/siege-2026-12-06.md).
//
// The bound is on the pause between two pieces of the body, not on the whole body, so that a 100 MB upload on a
// slow but steady link passes; a body trickling a byte at a time is bounded by the whole-request timeout
// (connection-limits.ts) and, meanwhile, holds no more than its client's share of the slots.
import { Transform } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';

export function registerBodyTimeout(app: FastifyInstance, idleTimeoutMs: number): void {
  // A done-callback hook: no promise per request for the common case of a body already read or none.
  app.addHook('preParsing', (request, reply, payload, done) => {
    // A small body came in the packets that carried the headers and is already complete; a request without a
    // body has nothing to wait for.
    const { headers } = request;
    const hasBody = headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
    if (request.raw.complete || !hasBody) return done(null, payload);

    const watched = new Transform({
      transform(chunk, _encoding, callback) {
        timer.refresh();
        callback(null, chunk);
      },
      flush(callback) {
        clearTimeout(timer);
        callback();
      },
    });
    const timer = setTimeout(() => {
      if (reply.sent) return;
      // Body waiting in this stream means the reader (a media upload writing to its store) is slow, not the client.
      if (watched.readableLength > 0 || watched.writableNeedDrain) {
        timer.refresh();
        return;
      }
      // Answer on this connection, then close it: the rest of a stalled body is not worth waiting for.
      reply.header('connection', 'close');
      payload.unpipe(watched);
      watched.destroy(new ApiError('requestTimeout', `no part of the request body arrived for ${idleTimeoutMs} ms`));
    }, idleTimeoutMs);
    timer.unref();
    reply.raw.once('close', () => clearTimeout(timer));
    watched.once('close', () => clearTimeout(timer));
    // The body parser listens for errors while it reads; one raised when nobody reads must not crash the process.
    watched.on('error', () => {});
    // A client that goes away ends the wait too; pipe() alone would leave the parser waiting for the timer.
    payload.once('error', (error) => watched.destroy(error));
    // With the request stream's own error where Node set one, so that the error handler still knows it for a client
    // abort (client-abort.ts tells them apart by origin), not database trouble.
    payload.once('aborted', () =>
      watched.destroy(request.raw.errored ?? new Error('the client closed the connection mid-body')),
    );
    payload.pipe(watched);
    done(null, watched as unknown as typeof payload);
  });
}
