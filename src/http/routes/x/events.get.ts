// GET /x/v1/events — the console's live view as server-sent events (text/event-stream): `conversation` events as
// messages are created or change status anywhere in the cluster, `deliveries` events as the delivery log's numbers
// change, a `: ping` every 15 s. The console reads it with fetch(), so the token travels in the Authorization
// header as on every route. What a stream writes and when it ends: src/http/live/event-streams.ts.
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../hooks/authenticate.js';
import type { EventStreams } from '../../live/event-streams.js';

export function registerEventsGet(app: FastifyInstance, streams: EventStreams): void {
  app.get('/x/v1/events', {
    config: { access: 'user', apiStatus: 'experimental', longLived: true },
    schema: {
      summary: 'Follow conversations and the delivery log live (server-sent events)',
      description:
        'A text/event-stream: `conversation` events ({"wa_id","ids"}) when messages are created or change status on any node, ' +
        "`deliveries` events with the delivery log's numbers, a `: ping` comment every 15 s. It ends when the token is revoked or " +
        'expires, and when the node shuts down; reconnect then. Read it with fetch() to keep the token in the Authorization header.',
      produces: ['text/event-stream'],
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      // Access 'user' lets only users through; the bearer token is the one the authentication hook accepted.
      if (principal.kind !== 'user') throw new Error('a live event stream without a user');
      // HEAD says what GET would be without opening a stream that nothing would read.
      if (request.method === 'HEAD') return reply.type('text/event-stream; charset=utf-8').send();
      const token = request.headers.authorization!.slice(request.headers.authorization!.indexOf(' ') + 1).trim();
      return reply.send(streams.start(reply, principal.username, token));
    },
  });
}
