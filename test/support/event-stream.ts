// Reads GET /x/v1/events as the console does: fetch() with the token in the Authorization header, the body parsed
// as server-sent events as it arrives (events, `retry:` and `:` comments), over a real socket.
export interface ServerSentEvent {
  event: string;
  data: any;
}

export interface EventStreamReader {
  readonly status: number;
  readonly headers: Headers;
  /** The JSON body of a refused request (no stream). */
  readonly refusal: any;
  readonly events: ServerSentEvent[];
  readonly comments: string[];
  readonly retry: number | null;
  /** Resolves when the server ends the stream (or the connection breaks). */
  readonly ended: Promise<void>;
  /** The first event from index `from` on that matches, within `timeoutMs`. */
  next(
    match: (event: ServerSentEvent) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<ServerSentEvent>;
  /** The client goes away. */
  close(): void;
}

export async function openEventStream(baseUrl: string, token: string): Promise<EventStreamReader> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/x/v1/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  const events: ServerSentEvent[] = [];
  const comments: string[] = [];
  let retry: number | null = null;
  let refusal: unknown = null;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };

  function parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
    }
    if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) });
  }

  async function read(): Promise<void> {
    if (!response.ok) {
      refusal = await response.json();
      return;
    }
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body!) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          parse(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
        }
        wake();
      }
    } catch {
      // Aborted by close(), or the connection broke: the stream has ended either way.
    }
  }
  const ended = read().finally(wake);
  let done = false;
  void ended.then(() => (done = true));

  return {
    status: response.status,
    headers: response.headers,
    get refusal() {
      return refusal;
    },
    events,
    comments,
    get retry() {
      return retry;
    },
    ended,
    async next(match, { from = 0, timeoutMs = 5000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.slice(from).find(match);
        if (found) return found;
        if (done) throw new Error(`the stream ended without the event (got ${JSON.stringify(events.slice(from))})`);
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no such event within ${timeoutMs} ms (got ${JSON.stringify(events.slice(from))})`);
        await new Promise<void>((resolve) => {
          const waiter = () => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve();
          };
          const timer = setTimeout(waiter, left);
          waiters.add(waiter);
        });
      }
    },
    close: () => abort.abort(),
  };
}
