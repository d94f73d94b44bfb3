// The key per-client limits count an address under (src/lib/ip-address.ts, addressBlockKey): IPv4 as it is, also
// written IPv4-mapped; IPv6 by its /64; null for anything else. Found missing by the mutation run
// (README.md#mutation-testing).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressBlockKey } from './ip-address.js';

describe('addressBlockKey', () => {
  it('keeps an IPv4 address as it is, also when it comes IPv4-mapped', () => {
    assert.equal(addressBlockKey('203.0.113.9'), '203.0.113.9');
    assert.equal(addressBlockKey('::ffff:203.0.113.9'), '203.0.113.9');
  });

  it('counts an IPv6 address by its /64', () => {
    assert.equal(addressBlockKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(addressBlockKey('2001:db8:1:2:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(addressBlockKey('fe80::1'), 'fe80:0:0:0::/64');
  });

  it('takes for IPv4-mapped only ::ffff: after ten zero bytes', () => {
    assert.equal(addressBlockKey('::fffe:cb00:7109'), '0:0:0:0::/64');
    assert.equal(addressBlockKey('::feff:cb00:7109'), '0:0:0:0::/64');
    assert.equal(addressBlockKey('1::ffff:cb00:7109'), '1:0:0:0::/64');
  });

  it('answers null for what is not an IP address', () => {
    assert.equal(addressBlockKey('proxy.internal'), null);
    assert.equal(addressBlockKey(''), null);
  });
});
