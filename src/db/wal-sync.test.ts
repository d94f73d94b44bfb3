// The WAL flush on a real SQLite file: nothing to flush before the first write, a flush after writes, and a clean
// close; and the rule that skips a flush when nothing was written since the last one began.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { createWalSync, flushAfterWrites } from './wal-sync.js';

describe('WAL sync', () => {
  const dirs: string[] = [];
  after(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  async function database() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'openprem-wal-'));
    dirs.push(dir);
    return path.join(dir, 'db.sqlite');
  }

  it('has nothing to flush while there is no WAL file', async () => {
    const file = await database();
    const wal = createWalSync(file);
    // Resolves, twice, and touches nothing: no WAL file is made for the sake of flushing it, nor a database file.
    assert.equal(await wal.sync(), undefined);
    assert.equal(await wal.sync(), undefined);
    await assert.rejects(stat(`${file}-wal`), { code: 'ENOENT' });
    await assert.rejects(stat(file), { code: 'ENOENT' });
    assert.deepEqual(await readdir(path.dirname(file)), []);
    await wal.close();
  });

  it('flushes the WAL that committed transactions wrote', async () => {
    const file = await database();
    const db = new SqliteDatabase(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (v TEXT)');
    const wal = createWalSync(file);
    for (let i = 0; i < 3; i++) {
      db.prepare('INSERT INTO t VALUES (?)').run(`row ${i}`);
      wal.noteWrite();
      await Promise.all([wal.sync(), wal.sync()]);
    }
    assert.ok((await stat(`${file}-wal`)).size > 0);
    await wal.close();
    db.close();
  });

  it('flushes once at first, then only after a write was noted', async () => {
    let flushes = 0;
    const gate = flushAfterWrites(async () => void flushes++);
    // What was written before anyone noted it (another process, the previous run) is flushed once.
    await gate.sync();
    assert.equal(flushes, 1);
    await Promise.all([gate.sync(), gate.sync()]);
    assert.equal(flushes, 1, 'a read-only request waited for a flush');
    gate.noteWrite();
    await Promise.all([gate.sync(), gate.sync()]);
    assert.equal(flushes, 2);
    await gate.sync();
    assert.equal(flushes, 2);
  });

  it('flushes again for a write noted while a flush was under way', async () => {
    const started: Array<() => void> = [];
    const gate = flushAfterWrites(() => new Promise<void>((resolve) => started.push(resolve)));
    const first = gate.sync();
    // The transaction commits while the first fdatasync runs: that flush may have missed it.
    gate.noteWrite();
    let acknowledged = false;
    const second = gate.sync().then(() => (acknowledged = true));
    started[0]!();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(acknowledged, false, 'the write was acknowledged on a flush that began before it');
    assert.equal(started.length, 2);
    started[1]!();
    await second;
    assert.equal(acknowledged, true);
  });

  it('does not count a failed flush as done', async () => {
    let fail = true;
    let flushes = 0;
    const gate = flushAfterWrites(async () => {
      flushes++;
      if (fail) throw new Error('EIO');
    });
    await assert.rejects(gate.sync(), /EIO/);
    fail = false;
    await gate.sync();
    assert.equal(flushes, 2);
  });
});
