import type { Kysely } from 'kysely';

// The sandbox's template registry (docs/api/sandbox.md#templates): one row per translation, keyed by
// (namespace, name, language) as On-Prem's send addresses a template. `components` is the JSON document of
// src/services/template-rules.ts.
//
// The examples are seeded here rather than at every start: a migration runs once per database, under the
// migrator's lock (so several nodes starting together seed once), and an example an admin deletes stays deleted.
// The rows are written out literally, not built from the application's constants, so that this migration keeps
// meaning what it meant when it shipped.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sandbox_templates')
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('components', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // The key's index also serves the send check's read of every translation of one (namespace, name).
    .addPrimaryKeyConstraint('sandbox_templates_pkey', ['namespace', 'name', 'language'])
    .execute();

  // Migrations have no injected clock; the seed's time is when the database was set up.
  const now = Date.now();
  const rows = SEED.map(([name, language, category, components]) => ({
    namespace: 'openprem_sandbox',
    name,
    language,
    category,
    status: 'approved',
    components: JSON.stringify(components),
    created_at: now,
    updated_at: now,
  }));
  await db
    .withTables<{ sandbox_templates: (typeof rows)[number] }>()
    .insertInto('sandbox_templates')
    .values(rows)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sandbox_templates').execute();
}

const SEED: [name: string, language: string, category: string, components: object][] = [
  [
    'hello_world',
    'en_US',
    'UTILITY',
    {
      header: { format: 'TEXT', text: 'Hello World' },
      body: {
        text:
          'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message ' +
          "notification through OpenPrem's sandbox. Thank you for taking the time to test with us.",
      },
      footer: { text: 'OpenPrem sandbox sample message' },
    },
  ],
  [
    'order_update',
    'en_US',
    'UTILITY',
    {
      body: { text: 'Hi {{1}}, your order {{2}} has shipped and is on its way.' },
      buttons: [{ type: 'URL', text: 'Track order', url: 'https://shop.example.com/orders/{{1}}' }],
    },
  ],
  [
    'order_update',
    'pt_BR',
    'UTILITY',
    {
      body: { text: 'Olá {{1}}, seu pedido {{2}} foi enviado e está a caminho.' },
      buttons: [{ type: 'URL', text: 'Rastrear pedido', url: 'https://shop.example.com/orders/{{1}}' }],
    },
  ],
  [
    'promo_image',
    'en_US',
    'MARKETING',
    {
      header: { format: 'IMAGE' },
      body: { text: 'Hi {{1}}, our summer sale starts today: {{2}} off everything in store and online.' },
      footer: { text: 'Reply STOP to opt out' },
      buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }],
    },
  ],
  [
    'otp_code',
    'en_US',
    'AUTHENTICATION',
    {
      body: { text: '*{{1}}* is your verification code. For your security, do not share this code.' },
      footer: { text: 'This code expires in 10 minutes.' },
    },
  ],
];
