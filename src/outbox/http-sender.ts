// Posts one callback over a keep-alive connection pool (undici). Redirects are not followed: the old API counted
// anything but a 2xx, redirects included, as a failed delivery (docs/api/webhooks.md#delivery).
import tls, { type SecureContext } from 'node:tls';
import { Agent, errors } from 'undici';

const RESPONSE_BODY_KEPT = 1024;

export interface SendResult {
  statusCode: number | null;
  /** The first KB of the response body, for the delivery log. */
  responseBody: string | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookSender {
  send(url: string, body: string, headers: Record<string, string>): Promise<SendResult>;
  /**
   * Trusts `bundle` (PEM CA certificates, /v1/certificates/webhooks/ca) besides the default roots, or only the
   * default roots when null. Later posts use a new pool; posts in flight finish on the old one.
   */
  trust(bundle: string | null): void;
  close(): Promise<void>;
}

export function createWebhookSender(timeoutMs: number): WebhookSender {
  // 64 sockets per origin is above the largest max_concurrent_requests (24) with room for a second dispatcher pass;
  // keep-alive saves the connect (and TLS handshake) that would otherwise come with each callback.
  // Made on first use, so a dispatcher stopped and started again (tests, settings reloads) gets a fresh pool.
  let agent: Agent | null = null;
  // One secure context per bundle, not `connect: { ca }`: with `ca`, every new connection parses the default
  // roots again (measured 37 ms of CPU per connection for 144 roots, against 0.2 ms for a context made once).
  let secureContext: SecureContext | null = null;
  const connect = () => (secureContext ? { secureContext } : {});
  const target = lastTarget();
  return {
    send(url, body, headers) {
      agent ??= new Agent({
        connections: 64,
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connectTimeout: timeoutMs,
        connect: connect(),
      });
      return post(agent, target, url, body, headers, timeoutMs);
    },
    trust(bundle) {
      secureContext = bundle === null ? null : tls.createSecureContext({ ca: trustedCertificates(bundle) });
      const previous = agent;
      agent = null;
      previous?.close().catch(() => {});
    },
    async close() {
      const closing = agent;
      agent = null;
      await closing?.close();
    },
  };
}

/** The origin and path of the URL posted to, parsed once per URL rather than per callback (the URL rarely changes). */
function lastTarget(): (url: string) => { origin: string; path: string } {
  let last: { url: string; origin: string; path: string } | null = null;
  return (url) => {
    if (last?.url !== url) {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
        throw new errors.InvalidArgumentError('Invalid URL protocol: the URL must start with `http:` or `https:`.');
      last = { url, origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    }
    return last;
  };
}

/**
 * One POST through undici's dispatch interface. undici's promise API (`request`) with `AbortSignal.timeout` and its
 * body stream cost 105-160 µs of CPU per post against this handler's 40 µs (24 in flight to the bench receiver,
 * 5 s each); the attempt's bound is a plain timer that aborts it, with the error AbortSignal.timeout gave.
 */
function post(
  agent: Agent,
  target: (url: string) => { origin: string; path: string },
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let statusCode = 0;
    let kept: Buffer[] = [];
    let size = 0;
    let done = false;
    let abort: ((reason: Error) => void) | null = null;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      abort = null;
      resolve({ ...result, durationMs: performance.now() - started });
    };
    const failed = (error: unknown) => finish({ statusCode: null, responseBody: null, error: describe(error) });
    const answered = () =>
      finish({
        statusCode,
        responseBody: Buffer.concat(kept).subarray(0, RESPONSE_BODY_KEPT).toString('utf8'),
        error: null,
      });
    // The whole attempt, from now (a wait for a connection included), as AbortSignal.timeout bounded it.
    const timer = setTimeout(() => {
      const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      const abortNow = abort;
      failed(reason);
      abortNow?.(reason);
    }, timeoutMs);
    try {
      const { origin, path } = target(url);
      agent.dispatch(
        { origin, path, method: 'POST', body, headers },
        {
          onRequestStart(controller) {
            if (done) return controller.abort(new Error('the attempt timed out before it was sent'));
            abort = (reason) => controller.abort(reason);
          },
          onResponseStart(_controller, code) {
            statusCode = code;
            kept = [];
            size = 0;
          },
          onResponseData(controller, chunk) {
            kept.push(chunk);
            size += chunk.length;
            // The first KB is kept; the rest is not read (the connection is dropped, as a destroyed body did).
            if (size >= RESPONSE_BODY_KEPT) {
              answered();
              controller.abort(new Error('response body beyond the first KB not read'));
            }
          },
          onResponseEnd: answered,
          onResponseError: (_controller, error) => failed(error),
        },
      );
    } catch (error) {
      failed(error);
    }
  });
}

function describe(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ? `${code}: ${message}` : String(message ?? error);
}

/** The CA list of a pool that trusts `bundle` as well as what Node trusts by default. */
export function trustedCertificates(bundle: string): string[] {
  return [...defaultCaCertificates(), bundle];
}

/**
 * What Node trusts when no `ca` is given: its bundled roots, plus NODE_EXTRA_CA_CERTS and the system store where
 * this Node version exposes them (tls.getCACertificates, Node 22.15+); the bundled roots alone on older versions.
 */
function defaultCaCertificates(): readonly string[] {
  const withStore = tls as typeof tls & { getCACertificates?: (type: 'default') => string[] };
  return withStore.getCACertificates?.('default') ?? tls.rootCertificates;
}
