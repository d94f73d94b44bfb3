// The live event streams of GET /x/v1/events (server-sent events): what each stream writes, and the node's account
// of them. A stream says `retry: 2000` first, then the delivery numbers, then `conversation` events as messages
// change anywhere in the cluster and `deliveries` events as the numbers change, and `: ping` every PING_MS. It ends
// when its token no longer authenticates (checked at each ping: logged out, user deleted or changed, expired), when
// the node shuts down (at once, so that a SIGTERM is not held up: the client reconnects to another node), or when
// the client is too slow to read what it is sent.
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { KeyedCounter } from '../../lib/keyed-counter.js';
import type { DeliverySummary } from '../../outbox/delivery-numbers.js';
import type { ConversationChange, ConversationChanges } from '../../services/live/conversation-changes.js';
import type { DeliveryWatch } from '../../services/live/delivery-watch.js';
import { presentDeliverySummary } from '../views/delivery-summary.js';

// 15 s: under the 30-60 s after which proxies and balancers commonly drop a silent connection.
const PING_MS = 15_000;
const RETRY_MS = 2000;
// 256 streams a node: each is a socket and a few KB of buffers, far more than the consoles a deployment has open.
export const MAX_STREAMS = 256;
// 8 a user: a few browser tabs; a runaway script of one user cannot take the node's streams from the others.
export const MAX_STREAMS_PER_USER = 8;
// A client that has not read 1 MB of events (hundreds of batches) is not keeping up: it is dropped and reconnects,
// rather than the node buffering for it without bound.
const MAX_UNREAD_BYTES = 1024 * 1024;

export interface EventStreamsDeps {
  changes: Pick<ConversationChanges, 'listen'>;
  deliveries: Pick<DeliveryWatch, 'listen' | 'current'>;
  /** Whether the stream's bearer token still authenticates. */
  stillValid(token: string): Promise<boolean>;
  clock: Clock;
  onCountChange(open: number): void;
}

interface Stream {
  readonly token: string;
  /** Writes unless the stream is over; a client too far behind is cut off. */
  write(text: string): void;
  /** Ends the stream after what is written (the client sees a clean end and reconnects). */
  end(): void;
}

export function createEventStreams(deps: EventStreamsDeps) {
  const open = new Set<Stream>();
  const perUser = new KeyedCounter(MAX_STREAMS_PER_USER);
  const pinger = setInterval(() => void pingAll().catch(() => {}), PING_MS);
  pinger.unref();

  /** Refuses a stream over the node's or the user's bound; otherwise answers how to give its place back. */
  function admit(username: string): () => void {
    if (open.size >= MAX_STREAMS)
      throw new ApiError('overloaded', `this node has ${MAX_STREAMS} live event streams open, its bound`, 5);
    if (!perUser.tryTake(username)) {
      throw new ApiError(
        'tooManyRequests',
        `${username} already has ${MAX_STREAMS_PER_USER} live event streams open on this node`,
        5,
      );
    }
    return () => perUser.release(username);
  }

  function start(reply: FastifyReply, username: string, token: string): PassThrough {
    const release = admit(username);
    const body = new PassThrough();
    // A write racing the client's departure must not throw: the stream is over either way.
    body.on('error', () => {});
    let over = false;
    const stopListening: (() => void)[] = [];
    // Once, whichever side ends it first: end() or destroy() here, or the client going away (Fastify destroys the body).
    const finish = () => {
      if (over) return;
      over = true;
      open.delete(stream);
      for (const stop of stopListening) stop();
      release();
      deps.onCountChange(open.size);
    };
    const stream: Stream = {
      token,
      write(text) {
        if (over) return;
        if (body.writableLength > MAX_UNREAD_BYTES) {
          finish();
          body.destroy();
          return;
        }
        body.write(text);
      },
      end() {
        finish();
        body.end();
      },
    };
    body.once('close', finish);
    const event = (name: string, data: unknown) => stream.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    const deliveries = (summary: DeliverySummary) =>
      event('deliveries', presentDeliverySummary(summary, deps.clock.now()));
    stopListening.push(
      deps.changes.listen((changes: readonly ConversationChange[]) => {
        for (const change of changes) event('conversation', { wa_id: change.waId, ids: change.ids });
      }),
      deps.deliveries.listen(deliveries),
    );
    open.add(stream);
    deps.onCountChange(open.size);
    reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no');
    stream.write(`retry: ${RETRY_MS}\n\n`);
    void deps.deliveries.current().then(
      (summary) => summary && deliveries(summary),
      () => {},
    );
    return body;
  }

  /** Checks every stream's token and pings those still valid (the timer does this every PING_MS). */
  async function pingAll(): Promise<void> {
    await Promise.all(
      [...open].map(async (stream) => {
        // A token that cannot be checked now (the database is down) is not taken as revoked: the next ping checks again.
        if (await deps.stillValid(stream.token).catch(() => true)) stream.write(': ping\n\n');
        else stream.end();
      }),
    );
  }

  return {
    start,
    pingAll,
    count: () => open.size,
    /** Ends every stream now (the node is shutting down) and stops the pings. */
    closeAll(): void {
      clearInterval(pinger);
      for (const stream of open) stream.end();
    },
  };
}

export type EventStreams = ReturnType<typeof createEventStreams>;
