// The WAL flush on a real SQLite file: nothing to flush before the first write, a flush after writes, and a clean
// close.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { createWalSync } from './wal-sync.js';

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
      await Promise.all([wal.sync(), wal.sync()]);
    }
    assert.ok((await stat(`${file}-wal`)).size > 0);
    await wal.close();
    db.close();
  });
});
