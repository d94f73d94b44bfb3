// What a virtual customer received: the file of a media message in their chat (GET
// /sandbox/customers/{wa_id}/messages/{message_id}/media). A file sent by id is read from the media store; one
// sent by link is downloaded again through the guarded fetcher (the sandbox keeps no copy of link media, as the
// business's media volume kept none with an id); a customer's own file is there if the business downloaded it.
import { Readable } from 'node:stream';
import type { MessageRow, MessagesRepository } from '../../db/repositories/messages.js';
import { ApiError } from '../../errors.js';
import type { MediaProvider } from '../../services/media-providers.js';
import { LinkFetchError, type LinkFetcher } from '../../services/media/link-fetcher.js';
import type { MediaService } from '../../services/media/media-service.js';
import { KIND_LIMITS, type MediaKind } from '../../services/media/media-rules.js';
import { readStoredOutbound } from '../../services/messages/stored.js';
import { providerAuthorization } from './media-links.js';

export const MEDIA_MESSAGE_TYPES: readonly string[] = ['image', 'audio', 'voice', 'video', 'document', 'sticker'];

export interface CustomerMediaDeps {
  messages: MessagesRepository;
  files: MediaService;
  links: LinkFetcher;
  settings: { listProviders(): Promise<MediaProvider[]> };
}

export interface CustomerFile {
  contentType: string;
  /** Null when the source did not say (a link answering without Content-Length). */
  size: number | null;
  stream: Readable;
}

interface MediaObject {
  id?: string;
  link?: string;
  provider?: { name?: string };
}

export function createCustomerMedia({ messages, files, links, settings }: CustomerMediaDeps) {
  async function fromStore(id: string, why: string): Promise<CustomerFile> {
    const file = await files.open(id);
    if (!file) throw new ApiError('notFound', why);
    return { contentType: file.mimeType, size: file.size, stream: file.stream };
  }

  async function fromLink(object: MediaObject, kind: MediaKind): Promise<CustomerFile> {
    const providerName = object.provider?.name;
    const provider =
      providerName === undefined ? undefined : (await settings.listProviders()).find((p) => p.name === providerName);
    try {
      const link = await links.open(object.link!, {
        headers: provider ? providerAuthorization(provider) : {},
        maxBytes: KIND_LIMITS[kind],
      });
      return {
        contentType: link.contentType ?? 'application/octet-stream',
        size: null,
        stream: Readable.from(link.body, { objectMode: false }),
      };
    } catch (error) {
      if (error instanceof LinkFetchError)
        throw new ApiError('notFound', `the message's link cannot be downloaded again: ${error.message}`);
      throw error;
    }
  }

  function outbound(row: MessageRow): Promise<CustomerFile> {
    if (!['sent', 'delivered', 'read'].includes(row.status)) {
      throw new ApiError('notFound', `the customer has not received message ${row.id} (its status is ${row.status})`);
    }
    const object = readStoredOutbound(row.content).message[row.type] as MediaObject;
    if (typeof object.link === 'string') return fromLink(object, row.type as MediaKind);
    return fromStore(object.id!, `media ${object.id} is no longer stored (DELETE /v1/media removed it)`);
  }

  function inbound(row: MessageRow): Promise<CustomerFile> {
    const object = (JSON.parse(row.content) as Record<string, MediaObject>)[row.type]!;
    if (object.id === undefined)
      throw new ApiError(
        'notFound',
        `the business did not download the file of message ${row.id} (media.auto_download)`,
      );
    return fromStore(
      object.id,
      `the file of message ${row.id} is not stored: it was only described, or DELETE /v1/media removed it`,
    );
  }

  return {
    async open(waId: string, messageId: string): Promise<CustomerFile> {
      const row = await messages.find(messageId);
      if (!row || row.wa_id !== waId)
        throw new ApiError('notFound', `message ${messageId} is not in the chat of ${waId}`);
      if (!MEDIA_MESSAGE_TYPES.includes(row.type))
        throw new ApiError('notFound', `message ${messageId} is a ${row.type} message, which carries no file`);
      return row.direction === 'out' ? outbound(row) : inbound(row);
    },
  };
}

export type CustomerMedia = ReturnType<typeof createCustomerMedia>;
