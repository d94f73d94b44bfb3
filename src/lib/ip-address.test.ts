// Which addresses a media link may not reach: every IPv4 and IPv6 special range, and IPv4 inside IPv6.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inCidr, nonPublicCategory, parseCidr, parseIp } from './ip-address.js';

const category = (text: string) => nonPublicCategory(parseIp(text)!);

describe('IP addresses', () => {
  it('parses IPv4, IPv6 (compressed, bracketed, with a zone, with a dotted tail) and refuses the rest', () => {
    assert.deepEqual([...parseIp('192.168.1.20')!.bytes], [192, 168, 1, 20]);
    assert.deepEqual([...parseIp('[::1]')!.bytes], [...new Array(15).fill(0), 1]);
    assert.deepEqual([...parseIp('fe80::1%eth0')!.bytes].slice(0, 2), [0xfe, 0x80]);
    assert.deepEqual([...parseIp('::ffff:127.0.0.1')!.bytes].slice(10), [0xff, 0xff, 127, 0, 0, 1]);
    assert.deepEqual([...parseIp('2001:db8:0:0:1::')!.bytes].slice(0, 10), [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1]);
    for (const bad of ['', 'localhost', '256.1.1.1', '1.2.3', '::g', '1.2.3.4.5'])
      assert.equal(parseIp(bad), null, bad);
  });

  it('matches CIDR ranges of both families, and never across families', () => {
    assert.ok(inCidr(parseIp('10.9.8.7')!, parseCidr('10.0.0.0/8')!));
    assert.ok(!inCidr(parseIp('11.0.0.1')!, parseCidr('10.0.0.0/8')!));
    assert.ok(inCidr(parseIp('172.31.255.255')!, parseCidr('172.16.0.0/12')!));
    assert.ok(!inCidr(parseIp('172.32.0.0')!, parseCidr('172.16.0.0/12')!));
    assert.ok(inCidr(parseIp('fd00:1::5')!, parseCidr('fd00::/8')!));
    assert.ok(!inCidr(parseIp('10.0.0.1')!, parseCidr('::/0')!));
    assert.ok(inCidr(parseIp('8.8.8.8')!, parseCidr('0.0.0.0/0')!));
    assert.equal(parseCidr('10.0.0.0/33'), null);
    assert.equal(parseCidr('10.0.0.0/8/1'), null);
    assert.equal(parseCidr('::/129'), null);
  });

  it('names every non-public range and answers null for public addresses', () => {
    const cases: [string, string | null][] = [
      ['8.8.8.8', null],
      ['1.1.1.1', null],
      ['2606:4700:4700::1111', null],
      ['::ffff:8.8.8.8', null],
      ['2002:0808:0808::1', null],
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.0.1', 'private'],
      ['192.168.0.1', 'private'],
      ['fc00::1', 'private'],
      ['fd12::1', 'private'],
      ['169.254.169.254', 'link-local'],
      ['fe80::1', 'link-local'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['100.64.0.1', 'shared (carrier-grade NAT)'],
      ['224.0.0.1', 'multicast'],
      ['ff02::1', 'multicast'],
      ['255.255.255.255', 'reserved'],
      ['198.18.0.1', 'benchmarking'],
      ['192.0.2.1', 'documentation'],
      ['2001:db8::1', 'documentation'],
      ['2001:0::1', 'reserved'],
      ['::7f00:1', 'reserved'],
      // IPv4 inside IPv6 is judged by the IPv4 address: mapped, NAT64 and 6to4.
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:10.1.2.3', 'private'],
      ['64:ff9b::a9fe:a9fe', 'link-local'],
      ['2002:7f00:0001::', 'loopback'],
      ['2002:c0a8:0101::1', 'private'],
    ];
    for (const [address, expected] of cases) assert.equal(category(address), expected, address);
  });
});
