// HTTP/1.1 over a bare socket, for what clients do that fetch will not: stop half-way through a body, keep writing
// after the answer, hold a connection open.
import assert from 'node:assert/strict';
import net from 'node:net';

export interface RawAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  readonly socket: net.Socket;
  /** The next answer on this connection (answers with a Content-Length only); rejects if the connection ends first. */
  nextAnswer(): Promise<RawAnswer>;
  /** Resolves once the server has closed its side (FIN); rejects if the socket is gone without one. */
  serverEnded(): Promise<void>;
  /** Resolves with the socket's error, or null, once it has closed. */
  readonly closed: Promise<Error | null>;
}

/** Connects with half-open allowed, so that this side can go on writing after the server's FIN. */
export function connectRaw(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let received = Buffer.alloc(0);
    let ended = false;
    let failure: Error | null = null;
    const waiters = new Set<() => void>();
    const notify = () => {
      for (const waiter of [...waiters]) waiter();
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      notify();
    });
    socket.on('end', () => {
      ended = true;
      notify();
    });
    socket.on('error', (error) => (failure = error));
    const closed = new Promise<Error | null>((done) =>
      socket.on('close', () => {
        notify();
        done(failure);
      }),
    );
    /** Resolves with `check`'s first value other than undefined, re-checked as bytes arrive. */
    const until = <T>(check: () => T | undefined, what: string) =>
      new Promise<T>((found, lost) => {
        const attempt = () => {
          const value = check();
          if (value !== undefined) {
            waiters.delete(attempt);
            found(value);
          } else if (socket.destroyed || (ended && what !== 'FIN')) {
            waiters.delete(attempt);
            lost(
              new Error(`the connection closed before ${what}; received: ${received.toString('latin1').slice(0, 300)}`),
            );
          }
        };
        waiters.add(attempt);
        attempt();
      });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({
        socket,
        closed,
        nextAnswer: () =>
          until(() => {
            const answer = parseAnswer(received);
            if (answer) received = received.subarray(answer.length);
            return answer?.answer;
          }, 'an answer'),
        serverEnded: () => until(() => (ended ? true : undefined), 'FIN').then(() => {}),
      });
    });
  });
}

function parseAnswer(bytes: Buffer): { answer: RawAnswer; length: number } | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  const length = headEnd + 4 + Number(headers['content-length'] ?? 0);
  if (bytes.length < length) return undefined;
  return {
    answer: {
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: bytes.subarray(headEnd + 4, length).toString('utf8'),
    },
    length,
  };
}

/** The head of a request with a body: `lines` are the request line and headers, without the blank line. */
export function requestHead(lines: string[], contentLength: number): string {
  return `${[...lines, `content-length: ${contentLength}`].join('\r\n')}\r\n\r\n`;
}

/** Writes `bytes` zero bytes in 64 KiB chunks: true once written, false as soon as the socket is gone. */
export async function writeBody(socket: net.Socket, bytes: number): Promise<boolean> {
  const chunk = Buffer.alloc(64 * 1024);
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (socket.destroyed || !socket.writable) return false;
    if (socket.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) continue;
    const drained = await new Promise<boolean>((resolve) => {
      const finish = (value: boolean) => {
        socket.off('drain', onDrain);
        socket.off('close', onClose);
        resolve(value);
      };
      const onDrain = () => finish(true);
      const onClose = () => finish(false);
      socket.once('drain', onDrain);
      socket.once('close', onClose);
    });
    if (!drained) return false;
  }
  return true;
}

/** An answer is the 413 / 1025 envelope. */
export function assertTooLarge(answer: RawAnswer, what: string): void {
  assert.equal(answer.status, 413, `${what}: ${answer.body.slice(0, 300)}`);
  const envelope = JSON.parse(answer.body) as { errors: { code: number }[]; meta: unknown };
  assert.equal(envelope.errors[0]?.code, 1025, what);
  assert.ok(envelope.meta, what);
}

/** `promise`, or a failure naming `what` once `ms` have passed: for outcomes that would otherwise come much later. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
