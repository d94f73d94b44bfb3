// The file of a customer's media message (docs/api/media.md#customers-files). The business's media.auto_download
// setting decides whether it downloads it: a downloaded file is stored (its id then works with GET /v1/media/{id}
// and for sending on), and the webhook's media object carries the id; otherwise the object carries
// `"status": "undownloaded"` and no id. Bytes are held to WhatsApp's rules for the kind (type, size, signature)
// either way.
import type { MediaRow } from '../../db/repositories/media.js';
import { ApiError } from '../../errors.js';
import { inspectMedia, MediaRejectedError } from '../../services/media/inspector.js';
import { LinkFetchError, type LinkFetcher } from '../../services/media/link-fetcher.js';
import type { MediaService } from '../../services/media/media-service.js';
import { declaredRule, kindRule, type MediaRule } from '../../services/media/media-rules.js';
import type { MediaType } from '../../services/settings.js';
import type { SandboxInbound } from './inbound.js';
import { completeMedia, type InboundMediaSource } from './inbound/media.js';
import type { JsonObject } from './inbound/fields.js';

export interface InboundMediaDeps {
  files: MediaService;
  links: LinkFetcher;
  settings: { current(): { media: { auto_download: readonly MediaType[] } } };
}

/**
 * Receives the file of a media message, completing `inbound.message[type]` in place; answers the media row to
 * store with the message (null for other messages, and for files the business does not download).
 */
export async function receiveInboundMedia(inbound: SandboxInbound, deps: InboundMediaDeps): Promise<MediaRow | null> {
  if (inbound.mediaId === null) return null;
  const type = inbound.type as MediaType;
  const object = inbound.message[type] as JsonObject;
  const downloaded = deps.settings.current().media.auto_download.includes(type);
  const source = inbound.mediaSource;
  if (source === null) {
    // A described file: its stand-in id stays valid for sending on, as before files could be sent.
    if (!downloaded)
      inbound.message[type] = completeMedia(
        object,
        { mimeType: object.mime_type as string, sha256: object.sha256 as string },
        false,
      );
    const described = { id: inbound.mediaId, mime_type: object.mime_type as string, sha256: object.sha256 as string };
    return downloaded ? { ...described, file_size: 0, storage_key: null, created_at: 0 } : null;
  }
  const rule = typeof object.mime_type === 'string' ? declaredRule(type, object.mime_type) : kindRule(type);
  try {
    const chunks = await open(source, rule, deps.links);
    if (downloaded) {
      const row = await deps.files.write(inbound.mediaId, rule, chunks);
      inbound.message[type] = completeMedia(object, { mimeType: row.mime_type, sha256: row.sha256 }, true);
      return row;
    }
    const inspection = inspectMedia(chunks, rule);
    for await (const _chunk of inspection.chunks);
    inbound.message[type] = completeMedia(object, inspection.result(), false);
    return null;
  } catch (error) {
    if (error instanceof MediaRejectedError || error instanceof LinkFetchError) {
      throw new ApiError('invalidParameter', `${type}.${source.kind}: ${error.message}`);
    }
    throw error;
  }
}

async function open(source: InboundMediaSource, rule: MediaRule, links: LinkFetcher): Promise<AsyncIterable<Buffer>> {
  if (source.kind === 'data') {
    const { bytes } = source;
    return (async function* () {
      yield bytes;
    })();
  }
  const link = await links.open(source.url, { maxBytes: rule.maxBytes });
  return link.body;
}
