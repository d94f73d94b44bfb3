import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNoticeHandlers, decodeNotice, encodeNotice } from './bus.js';

describe('cluster notices', () => {
  it('round-trip origin, kind and a key that may hold spaces', () => {
    const text = encodeNotice('a1b2c3d4e5f6', { kind: 'user', key: 'name with spaces' });
    assert.deepEqual(decodeNotice(text), { origin: 'a1b2c3d4e5f6', notice: { kind: 'user', key: 'name with spaces' } });
    assert.deepEqual(decodeNotice(encodeNotice('n', { kind: 'settings', key: '' })), {
      origin: 'n',
      notice: { kind: 'settings', key: '' },
    });
  });

  it('ignore what another program might send on the channel', () => {
    for (const text of ['', 'origin', 'origin settings', 'origin unknown-kind key'])
      assert.equal(decodeNotice(text), null);
  });

  it('a failing handler neither stops the others nor reaches the sender', async () => {
    const warned: object[] = [];
    const handlers = createNoticeHandlers({ warn: (obj) => warned.push(obj) });
    const seen: string[] = [];
    handlers.on('token', () => {
      throw new Error('boom');
    });
    handlers.on('token', (key) => void seen.push(key));
    await handlers.deliver({ kind: 'token', key: 'abc' });
    assert.deepEqual(seen, ['abc']);
    assert.equal(warned.length, 1);
  });
});
