// Bounds on connections, set on Node's server: how long headers and a whole request may take to arrive, how long
// an idle keep-alive connection stays, how many connections the node and one address may hold. Fastify turns
// Node's request timeout off by default, so a client could take as long as it liked to send a request.
//
// A request that runs out of time before routing is answered by Node through the clientError handler, which
// writes the 408 in the envelope (error-handler.ts); a stalled body is answered by body-timeout.ts instead.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionLimitsConfig } from '../config.js';
import { KeyedCounter } from '../lib/keyed-counter.js';
import { clientAddressKey } from './client-address.js';

// Node checks the header and request deadlines on a timer, every 30 s by default: a deadline of 10 s could then
// take 40. Once a second walks only the connections still receiving a request, which costs nothing measurable.
const DEADLINE_CHECK_MS = 1000;

export function applyConnectionLimits(server: Server, limits: ConnectionLimitsConfig): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Read when the server starts listening (http.Server's setupConnectionsTracking), so setting it here applies.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = DEADLINE_CHECK_MS;
  if (limits.maxConnections !== null) server.maxConnections = limits.maxConnections;
  if (limits.maxConnectionsPerAddress !== null) capConnectionsPerAddress(server, limits.maxConnectionsPerAddress);
}

/**
 * Closes a new connection at once when its address already holds `max`. The address is the socket's own, not
 * X-Forwarded-For: nothing of the request has been read yet. Nothing is answered, as with maxConnections: a TLS
 * connection has not even shaken hands, and an answer would cost what the cap is there to save.
 */
function capConnectionsPerAddress(server: Server, max: number): void {
  const perAddress = new KeyedCounter(max);
  server.on('connection', (socket: Socket) => {
    const key = clientAddressKey(socket.remoteAddress);
    if (!perAddress.tryTake(key)) {
      socket.destroy();
      return;
    }
    socket.once('close', () => perAddress.release(key));
  });
}
