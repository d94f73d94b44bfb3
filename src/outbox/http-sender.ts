// Posts one callback over a keep-alive connection pool (undici). Redirects are not followed: the old API counted
// anything but a 2xx, redirects included, as a failed delivery (docs/api/webhooks.md#delivery).
import tls, { type SecureContext } from 'node:tls';
import { Agent, request } from 'undici';

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
  return {
    async send(url, body, headers) {
      const started = performance.now();
      agent ??= new Agent({
        connections: 64,
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connectTimeout: timeoutMs,
        connect: connect(),
      });
      try {
        const response = await request(url, {
          method: 'POST',
          body,
          headers,
          dispatcher: agent,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const responseBody = await readStart(response.body);
        return { statusCode: response.statusCode, responseBody, error: null, durationMs: performance.now() - started };
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        return {
          statusCode: null,
          responseBody: null,
          error: code ? `${code}: ${message}` : String(message ?? error),
          durationMs: performance.now() - started,
        };
      }
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

/** Reads up to 1 KB and drops the rest, so a receiver answering megabytes costs no memory. */
async function readStart(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_BODY_KEPT) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_BODY_KEPT).toString('utf8');
}
