import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddressKey } from './client-address.js';

describe('clientAddressKey', () => {
  it('keys IPv4 clients by address, and IPv4-mapped IPv6 as the IPv4 client', () => {
    assert.equal(clientAddressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(clientAddressKey('::ffff:203.0.113.7'), '203.0.113.7');
  });

  it('keys IPv6 clients by their /64, so fresh addresses from one host share a budget', () => {
    assert.equal(clientAddressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(clientAddressKey('2001:db8:1:2:bbbb::9'), '2001:db8:1:2::/64');
    assert.notEqual(clientAddressKey('2001:db8:1:3::1'), clientAddressKey('2001:db8:1:2::1'));
  });

  it('keeps an unparsable or missing address as one key of its own', () => {
    assert.equal(clientAddressKey(undefined), 'unknown');
    assert.equal(clientAddressKey('not-an-ip'), 'not-an-ip');
  });
});
