// A pass takes only the scheduled effects it read: on SQLite an emptied table gives a rowid again, and a slow pass
// (one deciding a media link) must not take and drop the newer effect that got its old id.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createMessagesRepository } from '../../src/db/repositories/messages.js';
import { startTestNode, suiteScope, type TestNode } from '../support/harness.js';

describe('scheduled effects', () => {
  let t: TestNode;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite);
  });

  it('are taken only while their row is the one the pass read, even when an id comes round again', async () => {
    const db = t.node.db.db;
    const messages = createMessagesRepository(db, t.node.db.dialect);
    await db.deleteFrom('scheduled_effects').execute();
    await db
      .insertInto('scheduled_effects')
      .values({ message_id: 'wamid.first', kind: 'send', due_at: 1000 })
      .execute();
    const [stale] = await db.selectFrom('scheduled_effects').selectAll().execute();
    // Another pass takes it; the table empties; a new effect is scheduled (SQLite gives it the same id).
    await db.transaction().execute((trx) => messages.takeEffects([{ ...stale!, id: Number(stale!.id) }], trx));
    await db
      .insertInto('scheduled_effects')
      .values({ message_id: 'wamid.second', kind: 'send', due_at: 2000 })
      .execute();
    const taken = await db
      .transaction()
      .execute((trx) => messages.takeEffects([{ ...stale!, id: Number(stale!.id) }], trx));
    assert.deepEqual([...taken], []);
    const left = await db.selectFrom('scheduled_effects').select(['message_id', 'kind']).execute();
    assert.deepEqual(left, [{ message_id: 'wamid.second', kind: 'send' }]);
  });
});
