// Kysely's SQLite adapter takes no migration lock ("one connection"), but two processes can open one SQLite file:
// a server and `openprem migrate`, or two servers started together on a fresh data directory. Both then applied
// the same migration and the second failed ("table already exists"). The lock is SQLite's own write lock: the
// migrations run inside BEGIN IMMEDIATE, so a second process waits (busy_timeout) and then finds them applied.
import { SqliteAdapter, SqliteDialect, sql, type DialectAdapter, type Kysely } from 'kysely';

class LockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`begin immediate`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    // Kysely reports a failed migration as a result, not a throw: what was applied before it is kept, as it was
    // without the lock, and the start stops on the error.
    await sql`commit`.execute(db);
  }
}

export class SqliteDialectWithMigrationLock extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }
}
