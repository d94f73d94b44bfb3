// The sandbox downloads the `link` of a media message when it sends it, as the On-Prem Coreapp did: a link that
// cannot be fetched, or whose file WhatsApp would not take as that kind of media (type, size), fails the message
// asynchronously instead of reaching the customer. The download goes through the guarded fetcher (no private
// addresses unless allowed, at most 5 redirects, size and time bounds); its bytes are checked and dropped, not
// stored: the old API gave no media id for a link, so a copy would be a file nobody could address or delete.
import type { MediaProvider } from '../../services/media-providers.js';
import { inspectMedia, MediaRejectedError } from '../../services/media/inspector.js';
import { LinkFetchError, type LinkFetcher } from '../../services/media/link-fetcher.js';
import { kindRule, type MediaKind } from '../../services/media/media-rules.js';

export interface LinkChecker {
  /** Null when the link's file could be downloaded and fits `kind`; otherwise why not. */
  check(url: string, kind: MediaKind, headers?: Record<string, string>): Promise<string | null>;
}

export function createLinkChecker(fetcher: LinkFetcher): LinkChecker {
  return {
    async check(url, kind, headers = {}) {
      const rule = kindRule(kind);
      try {
        const link = await fetcher.open(url, { headers, maxBytes: rule.maxBytes });
        const inspection = inspectMedia(link.body, rule);
        for await (const _chunk of inspection.chunks);
        return null;
      } catch (error) {
        if (error instanceof LinkFetchError || error instanceof MediaRejectedError)
          return `downloading ${url} failed: ${error.message}`;
        throw error;
      }
    },
  };
}

/** The Authorization header a media provider (docs/api/settings.md#media-providers) presents with its links. */
export function providerAuthorization(provider: MediaProvider): Record<string, string> {
  if ('bearer' in provider.config) return { authorization: `Bearer ${provider.config.bearer}` };
  const { username, password } = provider.config.basic;
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}
