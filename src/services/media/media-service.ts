// Media files (docs/api/media.md): uploaded with POST /v1/media, received from customers, read back with
// GET /v1/media/{id}, deleted with DELETE. Bytes stream from the request through the inspector (size, signature,
// SHA-256) into the configured store; the media row is written only once the bytes are durable, so an id the API
// answers always has its whole file behind it.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { MediaWriteLostError, type MediaRepository, type MediaRow } from '../../db/repositories/media.js';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { mimeEssence } from '../../lib/media-signature.js';
import { unwrap } from '../../lib/result.js';
import { inspectMedia, MediaRejectedError, tooLargeMessage } from './inspector.js';
import { declaredRule, isMimeType, kindOfType, type MediaRule } from './media-rules.js';
import type { MediaStorage } from './store.js';

export interface MediaServiceDeps {
  repository: MediaRepository;
  storage: MediaStorage;
  clock: Clock;
  log: { warn(obj: object, message: string): void };
}

export interface UploadRequest {
  contentType: string | undefined;
  /** Content-Length when the client sent one: a file announced too large is refused before a byte is read. */
  contentLength: number | undefined;
  body: AsyncIterable<Buffer> | undefined;
}

export interface OpenedMedia {
  mimeType: string;
  size: number;
  stream: Readable;
}

export function createMediaService({ repository, storage, clock, log }: MediaServiceDeps) {
  /**
   * Writes a file under a new storage key, held to `rule`; answers its media row, not yet inserted: the caller
   * commits it (alone, or with the inbound message that carries it). A file that fails leaves nothing behind.
   */
  async function write(id: string, rule: MediaRule, source: AsyncIterable<Buffer>): Promise<MediaRow> {
    const storageKey = storage.keyFor(id);
    await repository.beginWrite(storageKey, clock.now());
    const inspection = inspectMedia(source, rule);
    try {
      await storage.write(storageKey, inspection.chunks);
    } catch (error) {
      await finish(storageKey);
      throw error;
    }
    const { mimeType, sha256, size } = inspection.result();
    return { id, mime_type: mimeType, sha256, file_size: size, storage_key: storageKey, created_at: clock.now() };
  }

  /** Removes a journalled blob and its journal entry; false when that failed (the retention pass retries). */
  async function finish(storageKey: string): Promise<boolean> {
    try {
      await storage.remove(storageKey);
      await repository.settle(storageKey);
      return true;
    } catch (error) {
      log.warn({ err: error, storageKey }, 'could not remove a media blob; the retention pass will retry');
      return false;
    }
  }

  return {
    write,
    finish,

    /** POST /v1/media: answers the new media id. */
    async upload({ contentType, contentLength, body }: UploadRequest): Promise<string> {
      const rule = uploadRule(contentType);
      if (contentLength !== undefined && contentLength > rule.maxBytes)
        throw new ApiError('bodyTooLarge', tooLargeMessage(rule));
      if (body === undefined) throw emptyBody();
      const id = randomUUID();
      try {
        const row = await write(id, rule, body);
        // The retention pass took the upload for a dead node's and finished its journal entry while bytes were
        // still coming: what was written after it is nobody's now, so it goes here.
        await repository.commit(row).catch(async (error: unknown) => {
          if (error instanceof MediaWriteLostError && row.storage_key !== null) await finish(row.storage_key);
          throw error;
        });
      } catch (error) {
        throw error instanceof MediaRejectedError ? rejection(error) : error;
      }
      return id;
    },

    /** A media file's type and size without opening it (HEAD), or null as for `open`. */
    async describe(id: string): Promise<Omit<OpenedMedia, 'stream'> | null> {
      const row = await repository.find(id);
      return row && row.storage_key !== null ? { mimeType: row.mime_type, size: Number(row.file_size) } : null;
    },

    /** The bytes of a media file, or null when there is no such media (or it never had bytes). */
    async open(id: string): Promise<OpenedMedia | null> {
      const row = await repository.find(id);
      if (!row || row.storage_key === null) return null;
      const stream = await storage.open(row.storage_key);
      return stream && { mimeType: row.mime_type, size: Number(row.file_size), stream };
    },

    /** DELETE /v1/media/{id}: false when there is no such media. */
    async remove(id: string): Promise<boolean> {
      const storageKey = await repository.delete(id, clock.now());
      if (storageKey === undefined) return false;
      if (storageKey !== null) await finish(storageKey);
      return true;
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;

/** The rule an upload's Content-Type puts it under (docs/api/media.md#upload-a-file: a wrong one is 400 / 1025). */
function uploadRule(contentType: string | undefined): MediaRule {
  const declared = contentType?.trim();
  if (!declared)
    throw new ApiError('invalidRequest', 'Content-Type is required: the MIME type of the file, such as image/jpeg');
  if (!isMimeType(declared))
    throw new ApiError(
      'invalidRequest',
      `Content-Type "${declared.slice(0, 100)}" is not a MIME type such as image/jpeg`,
    );
  const essence = mimeEssence(declared);
  // `curl -F file=@photo.jpg`, what Cloud API uploads look like, sends a form. Taken as a file, it was stored as a
  // document with the form's framing inside and served back as multipart/form-data: refuse it and say the form.
  if (essence.startsWith('multipart/')) {
    throw new ApiError(
      'invalidRequest',
      `Content-Type ${essence} is a form, not a file: POST /v1/media takes the file's own bytes with its MIME type, ` +
        `as in curl --data-binary @photo.jpg -H 'Content-Type: image/jpeg' (not curl -F file=@photo.jpg)`,
    );
  }
  const kind = unwrap(kindOfType(declared));
  return declaredRule(
    kind,
    essence + declared.slice(declared.indexOf(';') < 0 ? declared.length : declared.indexOf(';')),
  );
}

function emptyBody(): ApiError {
  return new ApiError('missingParameter', 'the request body is empty: send the bytes of the file');
}

function rejection(error: MediaRejectedError): ApiError {
  if (error.reason === 'empty') return emptyBody();
  if (error.reason === 'too-large') return new ApiError('bodyTooLarge', error.message);
  return new ApiError('invalidParameter', `${error.message}, as its Content-Type says`);
}
