// Posts one callback over a keep-alive connection pool (undici). Redirects are not followed: the reference counts
// anything but a 2xx, redirects included, as a failed delivery.
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
  close(): Promise<void>;
}

export function createWebhookSender(timeoutMs: number): WebhookSender {
  // 64 sockets per origin is above the largest max_concurrent_requests (24) with room for a second dispatcher pass;
  // keep-alive saves the connect (and TLS handshake) that would otherwise come with each callback.
  // Made on first use, so a dispatcher stopped and started again (tests, settings reloads) gets a fresh pool.
  let agent: Agent | null = null;
  return {
    async send(url, body, headers) {
      const started = performance.now();
      try {
        const response = await request(url, { method: 'POST', body, headers, dispatcher: (agent ??= new Agent({ connections: 64, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs })), signal: AbortSignal.timeout(timeoutMs) });
        const responseBody = await readStart(response.body);
        return { statusCode: response.statusCode, responseBody, error: null, durationMs: performance.now() - started };
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        return { statusCode: null, responseBody: null, error: code ? `${code}: ${message}` : String(message ?? error), durationMs: performance.now() - started };
      }
    },
    async close() {
      const closing = agent;
      agent = null;
      await closing?.close();
    },
  };
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
