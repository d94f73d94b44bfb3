// The business's own (third-party) sticker packs, as far as the old API documented them (docs/api/stickerpacks.md):
// paths and request bodies from Meta's request collection; the shapes of the answers follow the API's conventions,
// since none is documented. The limits are WhatsApp's published rules for sticker packs: name and publisher at most 128
// characters, at most 30 stickers a pack, each a WebP image with one to three emojis.
//
// WhatsApp's first-party packs (namespace=whatsapp) are read-only on the old API and their contents were never
// documented (docs/api/choices.md#removed-and-legacy-endpoints), so they are answered 404 / 1006 by the routes, which
// say so.
import { randomUUID } from 'node:crypto';
import type {
  PackChanges,
  StickerChanges,
  StickerpackRow,
  StickerpacksRepository,
  StickerRow,
} from '../db/repositories/stickerpacks.js';
import type { Clock } from '../lib/clock.js';
import { fail, ok, type Result } from '../lib/result.js';
import { isWebUrl } from '../lib/web-url.js';

const PACK_TEXT_MAX = 128;
const LINK_MAX = 512;
const STICKERS_PER_PACK_MAX = 30;
const EMOJIS_PER_STICKER_MAX = 3;

export interface StickerpackView {
  id: string;
  publisher: string;
  name: string;
  ios_app_store_link?: string;
  android_app_store_link?: string;
}

export interface StickerView {
  index: number;
  image_data_id: string;
  emojis: string[];
}

/** A request body: `null` or "" for a link removes it. */
export interface PackBody {
  publisher?: string;
  name?: string;
  ios_app_store_link?: string | null;
  android_app_store_link?: string | null;
}

export interface StickerBody {
  image_data_id?: string;
  emojis?: string[];
}

export function createStickerpacksService({ repository, clock }: { repository: StickerpacksRepository; clock: Clock }) {
  const packMissing = (id: string) => fail<never>('notFound', `no sticker pack has the id ${id}`);

  /** The sticker's image must be an uploaded WebP file (the format WhatsApp stickers have). */
  async function checkImage(mediaId: string): Promise<Result<string>> {
    const type = await repository.mediaType(mediaId);
    if (type === undefined)
      return fail(
        'notFound',
        `image_data_id: media ${mediaId} not found; upload the WebP image with POST /v1/media first`,
      );
    if (type.split(';')[0]?.trim().toLowerCase() !== 'image/webp')
      return fail('invalidParameter', `image_data_id: media ${mediaId} is ${type}; a sticker must be image/webp`);
    return ok(mediaId);
  }

  async function stickerChanges(body: StickerBody): Promise<Result<StickerChanges>> {
    const changes: StickerChanges = {};
    if (body.image_data_id !== undefined) {
      const image = await checkImage(body.image_data_id);
      if (!image.ok) return image;
      changes.image_data_id = image.value;
    }
    if (body.emojis !== undefined) {
      const emojis = checkEmojis(body.emojis);
      if (!emojis.ok) return emojis;
      changes.emojis = JSON.stringify(emojis.value);
    }
    return ok(changes);
  }

  return {
    async listPacks(): Promise<StickerpackView[]> {
      return (await repository.listPacks()).map(packView);
    },

    async getPack(id: string): Promise<Result<StickerpackView>> {
      const row = await repository.findPack(id);
      return row ? ok(packView(row)) : packMissing(id);
    },

    async createPack(body: PackBody): Promise<Result<{ id: string }>> {
      const changes = packChanges(body);
      if (!changes.ok) return changes;
      const { publisher, name } = changes.value;
      if (publisher === undefined || name === undefined)
        return fail('missingParameter', `missing required parameter ${publisher === undefined ? 'publisher' : 'name'}`);
      const now = clock.now();
      const id = randomUUID();
      await repository.insertPack({
        id,
        publisher,
        name,
        ios_app_store_link: changes.value.ios_app_store_link ?? null,
        android_app_store_link: changes.value.android_app_store_link ?? null,
        next_sticker_index: 0,
        created_at: now,
        updated_at: now,
      });
      return ok({ id });
    },

    async updatePack(id: string, body: PackBody): Promise<Result<void>> {
      const changes = packChanges(body);
      if (!changes.ok) return changes;
      return (await repository.updatePack(id, changes.value, clock.now())) ? ok(undefined) : packMissing(id);
    },

    async deletePack(id: string): Promise<Result<void>> {
      return (await repository.deletePack(id)) ? ok(undefined) : packMissing(id);
    },

    async listStickers(packId: string): Promise<Result<StickerView[]>> {
      if (!(await repository.findPack(packId))) return packMissing(packId);
      return ok((await repository.listStickers(packId)).map(stickerView));
    },

    async getSticker(packId: string, index: number): Promise<Result<StickerView>> {
      const row = await repository.findSticker(packId, index);
      if (row) return ok(stickerView(row));
      return (await repository.findPack(packId))
        ? fail('notFound', `sticker pack ${packId} has no sticker ${index}`)
        : packMissing(packId);
    },

    async addSticker(packId: string, body: StickerBody): Promise<Result<{ index: number }>> {
      if (body.image_data_id === undefined || body.emojis === undefined) {
        return fail(
          'missingParameter',
          `missing required parameter ${body.image_data_id === undefined ? 'image_data_id' : 'emojis'}`,
        );
      }
      const changes = await stickerChanges(body);
      if (!changes.ok) return changes;
      const sticker = { image_data_id: changes.value.image_data_id as string, emojis: changes.value.emojis as string };
      const outcome = await repository.addSticker(packId, sticker, clock.now(), STICKERS_PER_PACK_MAX);
      if (outcome === 'no_pack') return packMissing(packId);
      if (outcome === 'full')
        return fail(
          'invalidParameter',
          `sticker pack ${packId} already holds ${STICKERS_PER_PACK_MAX} stickers, the most a pack may have`,
        );
      return ok({ index: outcome.added });
    },

    async updateSticker(packId: string, index: number, body: StickerBody): Promise<Result<void>> {
      const changes = await stickerChanges(body);
      if (!changes.ok) return changes;
      if (await repository.updateSticker(packId, index, changes.value, clock.now())) return ok(undefined);
      return (await repository.findPack(packId))
        ? fail('notFound', `sticker pack ${packId} has no sticker ${index}`)
        : packMissing(packId);
    },

    async deleteSticker(packId: string, index: number): Promise<Result<void>> {
      if (await repository.deleteSticker(packId, index)) return ok(undefined);
      return (await repository.findPack(packId))
        ? fail('notFound', `sticker pack ${packId} has no sticker ${index}`)
        : packMissing(packId);
    },
  };
}

export type StickerpacksService = ReturnType<typeof createStickerpacksService>;

function packView(row: StickerpackRow): StickerpackView {
  const view: StickerpackView = { id: row.id, publisher: row.publisher, name: row.name };
  if (row.ios_app_store_link !== null) view.ios_app_store_link = row.ios_app_store_link;
  if (row.android_app_store_link !== null) view.android_app_store_link = row.android_app_store_link;
  return view;
}

function stickerView(row: StickerRow): StickerView {
  return {
    index: Number(row.sticker_index),
    image_data_id: row.image_data_id,
    emojis: JSON.parse(row.emojis) as string[],
  };
}

function packChanges(body: PackBody): Result<PackChanges> {
  const changes: PackChanges = {};
  for (const field of ['publisher', 'name'] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (value.trim() === '' || [...value].length > PACK_TEXT_MAX)
      return fail('invalidParameter', `${field} must be 1 to ${PACK_TEXT_MAX} characters long`);
    changes[field] = value;
  }
  for (const field of ['ios_app_store_link', 'android_app_store_link'] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null || value === '') changes[field] = null;
    else if (value.length <= LINK_MAX && isWebUrl(value)) changes[field] = value;
    else
      return fail(
        'invalidParameter',
        `${field} must be an http:// or https:// URL of at most ${LINK_MAX} characters, or null to remove it`,
      );
  }
  return ok(changes);
}

// An emoji sequence: pictographs, or flags (regional indicator pairs), or keycaps, with their modifiers, variation
// selectors and zero-width joiners; nothing else. Sixteen code points hold the longest family/profession sequences.
const EMOJI_SEQUENCE = /^(?:\p{Extended_Pictographic}|\p{Emoji_Component})+$/u;
const EMOJI_CORE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

function checkEmojis(emojis: string[]): Result<string[]> {
  if (emojis.length === 0 || emojis.length > EMOJIS_PER_STICKER_MAX) {
    return fail('invalidParameter', `emojis must list 1 to ${EMOJIS_PER_STICKER_MAX} emojis, got ${emojis.length}`);
  }
  for (const [index, emoji] of emojis.entries()) {
    if ([...emoji].length > 16 || !EMOJI_SEQUENCE.test(emoji) || !EMOJI_CORE.test(emoji)) {
      return fail('invalidParameter', `emojis[${index}] must be one emoji, such as "😃"`);
    }
  }
  return ok([...emojis]);
}
