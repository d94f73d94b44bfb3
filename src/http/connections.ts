// The server's connections: how one is closed, and which ones a shutdown closes at once.
//
// An answer may leave before its request body has arrived: 413 from the declared Content-Length, a 404 or 400
// decided from the headers. Two things go wrong with Node's own handling of such a connection:
// - With `Connection: close`, Node ends the socket and destroys it as soon as the answer is written. The client is
//   still sending the body; the kernel answers those bytes (or the unread ones) with a reset, and a reset makes the
//   client's kernel drop the answer it has not read yet: the client sees EPIPE / ECONNRESET instead of the 413.
//   Measured on loopback before this file existed (bench/early-answers.mjs): 10 to 16 of 25 photo uploads of
//   5 MB + 1, 8 MB or 48 MB failed that way, through fetch and through node:http alike; after it, none of 150.
// - Kept alive, Node discards the rest of the body for as long as it keeps coming, and the connection counts as
//   busy: a client that stops sending holds `server.close()` open until the shutdown timeout.
// So, as nginx and Apache do ("lingering close", RFC 9112 section 9.6): the answer is followed by a half-close (FIN),
// the rest of the body is read and thrown away, and the socket is destroyed when the client closes its side, or once
// LINGER_MS have passed or LINGER_BYTES more body bytes arrived, whichever comes first.
// At shutdown, every connection with no request in flight is closed that way at once; the others as their last
// answer leaves (with `Connection: close`, see app.ts).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';

/**
 * How long a client may go on sending after its answer, in all. Apache gives up after 2 s without new bytes
 * (SECONDS_TO_LINGER), nginx after 5 s (lingering_timeout), both within 30 s in all; a client that reads its socket
 * has seen its answer within milliseconds, and a shutdown with such clients connected should not wait 30 s.
 */
export const LINGER_MS = 2_000;
/**
 * How many more body bytes are read and thrown away after the answer. The client only needs the time to read its
 * answer before the reset, not to finish its body. Measured on loopback with a 48 MB body refused at once: fetch
 * read the 413 and closed its side after 4 to 10 MB; node:http writes its whole body and, cut off at 16 MiB, had
 * read its 413 every time (10 of 10 each). Without a bound, a fast client could make the server read gigabytes
 * within LINGER_MS.
 */
export const LINGER_BYTES = 16 * 1024 * 1024;

export interface Connections {
  /** At shutdown: closes the connections with no request in flight now, and the others once their last answer left. */
  closeQuiet(): void;
}

export function manageConnections(app: FastifyInstance, secure: boolean): Connections {
  const server = app.server as Server;
  const inFlight = new Map<Socket, number>();
  let closing = false;

  // Over TLS, the HTTP layer's socket is the TLS one, handed over by 'secureConnection'.
  server.on(secure ? 'secureConnection' : 'connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
    // Node's HTTP server calls destroySoon() after an answer that closes the connection; destroy() would come next.
    socket.destroySoon = () => closeGently(socket);
  });

  // Before Fastify's own listener: with synchronous hooks, an early answer (a 404 before its body) can leave during
  // Fastify's listener, and 'prefinish' must already be listened to by then.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    // Before 'finish', where Node would start discarding the body itself without telling how much.
    response.once('prefinish', () => {
      if (!request.complete && !request.destroyed) discardRestOfBody(request);
    });
    const before = inFlight.get(socket);
    if (before === undefined) return;
    inFlight.set(socket, before + 1);
    response.once('close', () => {
      const requests = inFlight.get(socket);
      // Undefined once the socket has closed: nothing left to count or to close.
      if (requests === undefined) return;
      inFlight.set(socket, requests - 1);
      if (closing && requests === 1) closeGently(socket);
    });
  });

  // A request that arrives behind the rest of a body on a connection this side has closed: its answer could not be
  // written, so it must not be served either.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.raw.socket.writableEnded) return done();
    request.raw.socket.destroy();
    done(new ApiError('serviceNotReady', 'this connection is closing'));
  });

  return {
    closeQuiet() {
      closing = true;
      for (const [socket, requests] of inFlight) if (requests === 0) closeGently(socket);
    },
  };
}

const lingering = new WeakSet<Socket>();

/** Half-closes the socket and destroys it once the client closed its side too, or after LINGER_MS. */
function closeGently(socket: Socket): void {
  if (socket.destroyed || lingering.has(socket)) return;
  lingering.add(socket);
  socket.end();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** Reads the rest of an answered request's body and throws it away, within LINGER_BYTES and LINGER_MS. */
function discardRestOfBody(request: IncomingMessage): void {
  let discarded = 0;
  const giveUp = setTimeout(() => request.socket.destroy(), LINGER_MS).unref();
  // Body complete: a kept-alive connection stays (the timer would otherwise cut it), a closing one lingers on its own.
  request.once('end', () => clearTimeout(giveUp));
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) request.socket.destroy();
  });
  // The answer is out: whatever still reads the body (the body-idle watch's stream, a parser) is done with it, and a
  // pipe it left paused by backpressure would otherwise hold the rest of the body unread until the timer's reset.
  request.unpipe();
  request.resume();
}
