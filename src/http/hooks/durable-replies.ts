// A successful answer to a write is an acknowledgement: on SQLite it leaves only once what the request committed
// is on stable storage (`durable`: the database's fdatasync of the WAL, shared by every concurrent reply). Reads and
// refusals acknowledge nothing and leave at once.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerDurableReplies(app: FastifyInstance, storage: { durable(): Promise<void> }): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (READS.has(request.method) || reply.statusCode >= 400) return done(null, payload);
    storage.durable().then(
      () => done(null, payload),
      // The write is committed but cannot be promised to survive a power cut: say so rather than acknowledge it.
      (error: Error) => done(new ApiError('databaseError', `the write could not be flushed to disk: ${error.message}`)),
    );
  });
}
