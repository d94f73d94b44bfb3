// One fresh database per test node: a temporary SQLite file, or a new PostgreSQL database created through the
// admin connection in OPENPREM_TEST_PG_URL and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type TestDialect = 'sqlite' | 'postgres';

export const TEST_DIALECT: TestDialect = process.env.OPENPREM_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
export const TEST_PG_URL = process.env.OPENPREM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** WA_* variables that point a node at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function createTestDatabase(dataDir: string): Promise<TestDatabase> {
  if (TEST_DIALECT === 'sqlite') return { env: { WA_DATA_DIR: dataDir }, drop: async () => {} };
  const name = `openprem_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    env: { WA_DATA_DIR: dataDir, WA_DB_URL: url.toString(), WA_DB_POOL_SIZE: '4' },
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
