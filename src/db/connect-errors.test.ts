import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PostgresConfig } from '../config.js';
import { DatabaseStartError, explainConnectError } from './connect-errors.js';

const timeouts = { connectMs: 2000, statementMs: 30_000 };
const fromUrl: PostgresConfig = {
  dialect: 'postgres',
  url: 'postgres://wa:s3cret@db.internal:6543/whatsapp',
  poolSize: 10,
  timeouts,
  source: 'WA_DB_URL',
};
const onPrem: PostgresConfig = { ...fromUrl, source: 'WA_DB_*' };

// Errors shaped as pg and Node raise them (SQLSTATE or errno in `code`), wrapped as the migrator wraps them.
const wrapped = (cause: Error & { code?: string }) => new Error('database migration  failed', { cause });
const withCode = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

function explained(error: Error, config: PostgresConfig): string {
  const result = explainConnectError(error, config);
  assert.ok(result instanceof DatabaseStartError, String(result));
  assert.doesNotMatch(result.message, /s3cret/, 'the password is never repeated');
  return result.message;
}

describe('explainConnectError', () => {
  it('names a missing database, where it was looked for, and how to create it', () => {
    assert.equal(
      explained(wrapped(withCode('database "whatsapp" does not exist', '3D000')), onPrem),
      'database "whatsapp" does not exist on the PostgreSQL server at db.internal:6543 (WA_DB_NAME): create it with ' +
        '`createdb -h db.internal -p 6543 -U wa whatsapp` or `CREATE DATABASE "whatsapp";`',
    );
  });

  it('says a server is not reachable, with the reason, for refused, unresolved, timed-out and dropped connections', () => {
    assert.match(
      explained(wrapped(withCode('connect ECONNREFUSED', 'ECONNREFUSED')), fromUrl),
      /^the PostgreSQL server at db\.internal:6543 \(WA_DB_URL\) is not reachable \(ECONNREFUSED\): check that it runs/,
    );
    assert.match(
      explained(wrapped(withCode('getaddrinfo ENOTFOUND', 'ENOTFOUND')), onPrem),
      /\(WA_DB_HOSTNAME, WA_DB_PORT\) is not reachable \(ENOTFOUND\)/,
    );
    assert.match(
      explained(wrapped(withCode('Connection terminated due to connection timeout')), fromUrl),
      /not reachable \(no answer within WA_DB_CONNECT_TIMEOUT_MS=2000\)/,
    );
    assert.match(
      explained(wrapped(withCode('Connection terminated unexpectedly')), fromUrl),
      /not reachable \(Connection terminated unexpectedly\)/,
    );
  });

  it('says the login was refused, naming the variables that hold the user and password', () => {
    assert.equal(
      explained(wrapped(withCode('password authentication failed for user "wa"', '28P01')), onPrem),
      'the PostgreSQL server at db.internal:6543 refused the login (password authentication failed for user "wa"): check the user and password in WA_DB_USERNAME, WA_DB_PASSWORD',
    );
  });

  it('leaves any other error as it was: a failed migration is not a connection problem', () => {
    const failed = wrapped(withCode('syntax error at or near "TABEL"', '42601'));
    assert.equal(explainConnectError(failed, fromUrl), failed);
  });
});
