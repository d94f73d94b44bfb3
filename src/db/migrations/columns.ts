import type { CreateTableBuilder } from 'kysely';
import type { Dialect } from '../dialect.js';

/** SQLite's INTEGER PRIMARY KEY is the auto-numbered rowid; PostgreSQL needs an identity column. */
export function autoIncrementPrimaryKey(name: string, dialect: Dialect) {
  return <T extends string>(table: CreateTableBuilder<T>) =>
    dialect === 'sqlite'
      ? table.addColumn(name, 'integer', (c) => c.primaryKey())
      : table.addColumn(name, 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity());
}
