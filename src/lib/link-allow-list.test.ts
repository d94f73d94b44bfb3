// WA_MEDIA_LINK_ALLOW entries: addresses, ranges, host names, each with an optional port.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIp } from './ip-address.js';
import { isAllowed, parseLinkAllowList } from './link-allow-list.js';

const allowed = (list: string, host: string, ip: string, port: number) =>
  isAllowed(parseLinkAllowList(list), host, parseIp(ip)!, port);

describe('WA_MEDIA_LINK_ALLOW', () => {
  it('reads addresses, ranges and host names, with and without a port', () => {
    assert.deepEqual(parseLinkAllowList(''), []);
    assert.deepEqual(
      parseLinkAllowList(' localhost:8080 , Media.Internal ').map((e) => e.kind === 'host' && [e.host, e.port]),
      [
        ['localhost', 8080],
        ['media.internal', null],
      ],
    );
    const [range, single, v6, v6port] = parseLinkAllowList('10.0.0.0/8,127.0.0.1:9000,fd00::/8,[::1]:443');
    assert.equal(range?.kind === 'range' && range.range.prefix, 8);
    assert.equal(single!.port, 9000);
    assert.equal(v6?.kind === 'range' && v6.range.version, 6);
    assert.equal(v6port!.port, 443);
  });

  it('refuses what it does not understand, naming the entry', () => {
    assert.throws(
      () => parseLinkAllowList('10.0.0.0/8:80'),
      /"10\.0\.0\.0\/8:80": a port can follow a single address, not a range/,
    );
    assert.throws(() => parseLinkAllowList('localhost:0'), /the port must be 1 to 65535/);
    assert.throws(() => parseLinkAllowList('localhost:http'), /the port must be 1 to 65535/);
    assert.throws(() => parseLinkAllowList('under_score.example'), /is not an address, a CIDR range or a host name/);
    assert.throws(() => parseLinkAllowList('[::1'), /is not/);
    assert.throws(() => parseLinkAllowList('300.1.1.1/8'), /is not/);
  });

  it('matches by resolved address (IPv4 inside IPv6 too) or by host name, honouring the port', () => {
    assert.ok(allowed('127.0.0.1:8080', 'localhost', '127.0.0.1', 8080));
    assert.ok(!allowed('127.0.0.1:8080', 'localhost', '127.0.0.1', 8081));
    assert.ok(allowed('127.0.0.1', 'x', '::ffff:127.0.0.1', 1));
    assert.ok(allowed('10.0.0.0/8', 'cdn', '10.200.0.3', 443));
    assert.ok(!allowed('10.0.0.0/8', 'cdn', '192.168.0.3', 443));
    assert.ok(allowed('[::1]:443', '[::1]', '::1', 443));
    assert.ok(allowed('media.internal', 'MEDIA.internal', '10.1.1.1', 80));
    assert.ok(!allowed('media.internal', 'other.internal', '10.1.1.1', 80));
    assert.ok(!allowed('localhost:8080', 'localhost', '127.0.0.1', 9090));
    assert.ok(!allowed('', 'localhost', '127.0.0.1', 80));
  });
});
