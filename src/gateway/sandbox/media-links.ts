// The sandbox downloads the `link` of a media message when it sends it, as the On-Prem Coreapp did: a link that
// cannot be fetched fails the message asynchronously instead of reaching the customer.
import { Agent, request } from 'undici';
import type { MediaProvider } from '../../services/media-providers.js';

// 5 s: a link slower than that fails the send; the pass that sends it waits at most this long.
const FETCH_TIMEOUT_MS = 5000;
// Media up to 100 MB are read to the end (WhatsApp's largest document size), then dropped: only reachability
// and the answer's status matter to the simulation.
const MAX_BYTES = 100 * 1024 * 1024;

export interface LinkFetcher {
  /** Null when the link answered 2xx; otherwise why it could not be downloaded. */
  fetch(url: string, headers?: Record<string, string>): Promise<string | null>;
  close(): Promise<void>;
}

export function createLinkFetcher(): LinkFetcher {
  const agent = new Agent({ connectTimeout: FETCH_TIMEOUT_MS, headersTimeout: FETCH_TIMEOUT_MS, bodyTimeout: FETCH_TIMEOUT_MS });
  return {
    async fetch(url, headers = {}) {
      try {
        const response = await request(url, { method: 'GET', headers, dispatcher: agent, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
        let size = 0;
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > MAX_BYTES) {
            response.body.destroy();
            return `the media at ${url} is larger than ${MAX_BYTES} bytes`;
          }
        }
        return response.statusCode >= 200 && response.statusCode < 300 ? null : `downloading ${url} answered HTTP ${response.statusCode}`;
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        return `downloading ${url} failed: ${code ?? message ?? String(error)}`;
      }
    },
    close: () => agent.close(),
  };
}

/** The Authorization header a media provider (reference §5.1.2) presents with its links. */
export function providerAuthorization(provider: MediaProvider): Record<string, string> {
  if ('bearer' in provider.config) return { authorization: `Bearer ${provider.config.bearer}` };
  const { username, password } = provider.config.basic;
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}
