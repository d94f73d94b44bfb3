import assert from 'node:assert/strict';
import { after, describe, it, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { fixedChunks, insertShaped, paddedInList, runShaped } from './query-shapes.js';
import type { Database } from './schema.js';

test('IN lists are padded with their last value to one of four lengths', () => {
  assert.deepEqual(paddedInList([1, 2, 3]), [1, 2, 3, 3, 3, 3, 3, 3]);
  assert.equal(paddedInList(Array.from({ length: 9 }, (_, i) => i)).length, 32);
  assert.equal(paddedInList(Array.from({ length: 512 }, (_, i) => i)).length, 512);
  assert.equal(paddedInList(Array.from({ length: 600 }, (_, i) => i)).length, 600);
  assert.deepEqual(paddedInList([]), []);
});

test('rows are cut into chunks of fixed lengths, in order', () => {
  const rows = Array.from({ length: 345 }, (_, i) => i);
  const chunks = fixedChunks(rows);
  assert.deepEqual(
    chunks.map((c) => c.length),
    [256, 64, 16, 4, 4, 1],
  );
  assert.deepEqual(chunks.flat(), rows);
});

describe('runShaped and insertShaped, on SQLite in memory', () => {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
  after(() => db.destroy());

  it('writes rows in chunks, in order, nulls for missing values, and reads them back with new parameters', async () => {
    await db.schema
      .createTable('scheduled_effects')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('message_id', 'text')
      .addColumn('kind', 'text')
      .addColumn('due_at', 'integer')
      .execute();
    const rows = Array.from({ length: 21 }, (_, i) => ({
      message_id: `m${i}`,
      kind: i === 3 ? undefined : 'sent',
      due_at: i,
    }));
    await insertShaped(db, 'scheduled_effects', { message_id: 'text', kind: 'text', due_at: 'bigint' }, rows as never);
    const find = (ids: number[]) =>
      runShaped(db, `find effects ×${ids.length}`, ids, () =>
        db.selectFrom('scheduled_effects').selectAll().where('id', 'in', ids).orderBy('id'),
      );
    assert.deepEqual(
      (await find([1, 4])).rows.map((r) => [r.id, r.message_id, r.kind]),
      [
        [1, 'm0', 'sent'],
        [4, 'm3', null],
      ],
    );
    // Same shape, other values: the statement compiled for [1, 4] runs with [21, 2].
    assert.deepEqual(
      (await find([21, 2])).rows.map((r) => r.message_id),
      ['m1', 'm20'],
    );
  });

  it('refuses parameters that do not match what the query binds', async () => {
    await assert.rejects(
      runShaped(db, 'mismatch', [1, 2], () => db.selectFrom('scheduled_effects').selectAll().where('id', '=', 1)),
      /2 parameters given, 1 bound/,
    );
  });
});
