import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// The business's profile (about text, photo, business profile, two-step PIN), the identities of customers whose
// security code changed, and the business's own sticker packs. All of it is shared by every node on the database.
//
// `profile` holds one row per part, the value a JSON document; the photo's bytes sit in `data` beside its JSON
// description, so that one row (and one backup entry) is the whole photo. A missing row means "not set".
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('profile')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('data', dialect === 'sqlite' ? 'blob' : 'bytea')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // One row per customer whose identity changed: the latest notification's hash, and whether the business has
  // acknowledged it (PUT /v1/contacts/{wa_id}/identity). Sends are refused while it is not.
  await db.schema
    .createTable('contact_identities')
    .addColumn('wa_id', 'text', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged', 'integer', (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .execute();

  await db.schema
    .createTable('stickerpacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('publisher', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ios_app_store_link', 'text')
    .addColumn('android_app_store_link', 'text')
    // The index the next sticker gets: indices stay with their sticker, so a deletion never renumbers the others.
    .addColumn('next_sticker_index', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('stickers')
    .addColumn('pack_id', 'text', (c) => c.notNull().references('stickerpacks.id').onDelete('cascade'))
    .addColumn('sticker_index', 'integer', (c) => c.notNull())
    .addColumn('image_data_id', 'text', (c) => c.notNull())
    // A JSON array of emoji strings.
    .addColumn('emojis', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stickers_pkey', ['pack_id', 'sticker_index'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stickers').execute();
  await db.schema.dropTable('stickerpacks').execute();
  await db.schema.dropTable('contact_identities').execute();
  await db.schema.dropTable('profile').execute();
}
