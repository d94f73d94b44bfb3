import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { classifyDatabaseError } from '../lib/database-errors.js';
import { isClientAbort } from './client-abort.js';

const connectionReset = (message: string) => Object.assign(new Error(message), { code: 'ECONNRESET' });

describe('isClientAbort', () => {
  it("tells the request stream's ECONNRESET from a database connection's by where it came from", () => {
    const request = new IncomingMessage(new Socket());
    const aborted = connectionReset('aborted');
    request.destroy(aborted);
    // What node-postgres rejects a query with when the server's socket is reset.
    const pgReset = Object.assign(connectionReset('read ECONNRESET'), { errno: -104, syscall: 'read' });

    assert.equal(isClientAbort(aborted, request), true);
    assert.equal(isClientAbort(new Error('wrapped', { cause: aborted }), request), true);
    assert.equal(isClientAbort(pgReset, request), false);
    assert.equal(
      classifyDatabaseError(pgReset),
      'unavailable',
      'a real reset still counts as the database unreachable',
    );
  });

  it('is never true while the request stream is intact', () => {
    assert.equal(isClientAbort(connectionReset('aborted'), new IncomingMessage(new Socket())), false);
  });
});
