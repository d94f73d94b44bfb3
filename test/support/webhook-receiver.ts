// A real HTTP receiver on loopback that records every callback. Its answer can be changed, it can hold requests
// open, and it can stop and start again on the same port (a receiver that goes down and comes back).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

interface ReceivedCallback {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
  receivedAt: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedCallback[];
  /** Status (and body, and extra headers such as a redirect's location) of the next answers; 200 by default. */
  answerWith(status: number, body?: string, headers?: Record<string, string>): void;
  /** Hold every request until the returned function is called. */
  hold(): () => void;
  /** Most requests in flight at once since the start. */
  readonly maxInFlight: number;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** `tls`: serve HTTPS with this key and certificate chain (a receiver signed by an internal CA). */
export async function startWebhookReceiver(
  options: { tls?: { key: string; cert: string } } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedCallback[] = [];
  let status = 200;
  let answer = 'ok';
  let answerHeaders: Record<string, string> = {};
  let gate: Promise<void> | null = null;
  let inFlight = 0;
  let maxInFlight = 0;
  let port = 0;
  let server: http.Server;

  const listen = () =>
    new Promise<void>((resolve) => {
      const handler: http.RequestListener = (request, response) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        let raw = '';
        request.on('data', (chunk) => (raw += chunk));
        request.on('end', async () => {
          if (gate) await gate;
          let body: unknown;
          try {
            body = JSON.parse(raw);
          } catch {
            body = undefined;
          }
          received.push({ headers: request.headers, raw, body, receivedAt: Date.now() });
          inFlight -= 1;
          response.writeHead(status, { 'content-type': 'text/plain', ...answerHeaders }).end(answer);
        });
      };
      server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  await listen();
  return {
    get url() {
      return `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/webhook`;
    },
    received,
    answerWith(next, body = 'ok', headers = {}) {
      status = next;
      answer = body;
      answerHeaders = headers;
    },
    hold() {
      let release: () => void = () => {};
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
    get maxInFlight() {
      return maxInFlight;
    },
    stop,
    restart: listen,
    close: stop,
  };
}
