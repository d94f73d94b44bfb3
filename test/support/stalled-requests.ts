// Raw-socket clients for the request-bound tests: a request whose body stops arriving, and a plain keep-alive
// connection, each from a chosen loopback address (Linux answers on all of 127.0.0.0/8), so that tests can play
// several client addresses from one process.
import http from 'node:http';
import net from 'node:net';

export interface RawAnswer {
  /** The HTTP status, or null when the server closed the connection without answering. */
  status: number | null;
  body: any;
  /** Milliseconds from the end of the request's headers to the whole answer (or the close). */
  elapsedMs: number;
  /** Whether the answer's body is all there (by its Content-Length). */
  complete: boolean;
}

/**
 * Sends the headers of `POST path` announcing `contentLength` bytes, then `bodyStart` and nothing more; resolves
 * once the server answers and closes, or only closes.
 */
export function sendStalledBody(
  port: number,
  options: {
    path: string;
    token: string;
    localAddress: string;
    contentLength: number;
    bodyStart: string;
    trickleEveryMs?: number;
    headersOnlyPart?: boolean;
  },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: options.localAddress });
    const chunks: Buffer[] = [];
    let sentAt = 0;
    let trickle: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      const head =
        `POST ${options.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${options.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${options.contentLength}\r\n`;
      // Headers that never end, or headers and the start of a body that then stops (or trickles).
      socket.write(options.headersOnlyPart ? head : `${head}\r\n${options.bodyStart}`);
      sentAt = performance.now();
      if (options.trickleEveryMs) trickle = setInterval(() => socket.write(' '), options.trickleEveryMs);
    });
    socket.on('close', () => clearInterval(trickle));
    const answer = () => parseAnswer(Buffer.concat(chunks).toString('utf8'), performance.now() - sentAt);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // An answer given before the body (a refusal) may leave the connection open: the answer is what counts.
      const complete = answer();
      if (complete.status !== null && complete.complete) {
        resolve(complete);
        socket.destroy();
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => resolve(answer()));
  });
}

function parseAnswer(text: string, elapsedMs: number): RawAnswer {
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
  const headEnd = text.indexOf('\r\n\r\n');
  if (!status || headEnd < 0) return { status: null, body: undefined, elapsedMs, complete: false };
  const body = text.slice(headEnd + 4);
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, headEnd))?.[1] ?? NaN);
  const complete = Buffer.byteLength(body) >= length;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = body;
  }
  return { status: Number(status), body: parsed, elapsedMs, complete };
}

/** Opens a connection from `localAddress`; `closed` resolves when the server (or the test) closes it. */
export async function openConnection(
  port: number,
  localAddress: string,
): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('close', () => reject(new Error('closed before connecting')));
  });
  return { socket, closed };
}

/** GET `path` over a fresh connection from `localAddress`; answers the status. */
export function getFrom(port: number, path: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, localAddress, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}
