// IP addresses as bytes, CIDR ranges, and which addresses are not on the public internet. The media link fetcher
// refuses those (loopback, private, link-local, ...) so that a `link` in a message cannot make the server reach into
// its own network (SSRF). IPv4 addresses carried inside IPv6 ones (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96,
// 6to4 2002::/16) are judged by the IPv4 address they carry, since that is where a connection to them ends up.
import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  readonly version: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
}

export interface Cidr extends IpAddress {
  readonly prefix: number;
}

/** An IPv4 or IPv6 address in text form (brackets and an IPv6 zone such as %eth0 allowed); null when it is not one. */
export function parseIp(text: string): IpAddress | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%[^%]*$/, '');
  if (isIPv4(bare)) return { version: 4, bytes: Uint8Array.from(bare.split('.').map(Number)) };
  if (!isIPv6(bare)) return null;
  return { version: 6, bytes: parseIpv6(bare) };
}

function parseIpv6(text: string): Uint8Array {
  // A trailing dotted IPv4 part (::ffff:127.0.0.1) is the last two 16-bit words.
  const hex = text.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_all, a, b, c, d) =>
      `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [head, tail] = hex.split('::') as [string, string | undefined];
  const read = (part: string) => (part === '' ? [] : part.split(':').map((word) => parseInt(word, 16)));
  const left = read(head);
  const right = read(tail ?? '');
  const words =
    tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return bytes;
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address (a /32 or /128); null when it is not one. */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, extra] = text.split('/');
  if (address === undefined || extra !== undefined) return null;
  const ip = parseIp(address);
  if (!ip) return null;
  const max = ip.version === 4 ? 32 : 128;
  if (prefixText === undefined) return { ...ip, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { ...ip, prefix: Number(prefixText) };
}

export function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.version !== cidr.version) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== ((cidr.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 address stands for (mapped, NAT64 or 6to4), or null. */
export function embeddedIpv4(ip: IpAddress): IpAddress | null {
  if (ip.version !== 6) return null;
  if (inCidr(ip, MAPPED) || inCidr(ip, NAT64)) return { version: 4, bytes: ip.bytes.slice(12) };
  if (inCidr(ip, SIX_TO_FOUR)) return { version: 4, bytes: ip.bytes.slice(2, 6) };
  return null;
}

const cidr = (text: string) => parseCidr(text)!;
const MAPPED = cidr('::ffff:0:0/96');
const NAT64 = cidr('64:ff9b::/96');
const SIX_TO_FOUR = cidr('2002::/16');

// IANA's special-purpose registries (RFC 6890 and successors), reduced to what must never be fetched from.
const NOT_PUBLIC: readonly [Cidr, string][] = [
  [cidr('0.0.0.0/8'), 'unspecified'],
  [cidr('10.0.0.0/8'), 'private'],
  [cidr('100.64.0.0/10'), 'shared (carrier-grade NAT)'],
  [cidr('127.0.0.0/8'), 'loopback'],
  [cidr('169.254.0.0/16'), 'link-local'],
  [cidr('172.16.0.0/12'), 'private'],
  [cidr('192.0.0.0/24'), 'reserved'],
  [cidr('192.0.2.0/24'), 'documentation'],
  [cidr('192.168.0.0/16'), 'private'],
  [cidr('198.18.0.0/15'), 'benchmarking'],
  [cidr('198.51.100.0/24'), 'documentation'],
  [cidr('203.0.113.0/24'), 'documentation'],
  [cidr('224.0.0.0/4'), 'multicast'],
  [cidr('240.0.0.0/4'), 'reserved'],
  [cidr('::/128'), 'unspecified'],
  [cidr('::1/128'), 'loopback'],
  // The deprecated IPv4-compatible form (::a.b.c.d) and the discard prefix lead nowhere public.
  [cidr('::/96'), 'reserved'],
  [cidr('100::/64'), 'reserved'],
  [cidr('64:ff9b:1::/48'), 'private'],
  // Teredo hides the client's IPv4 address; nothing legitimate serves media from it.
  [cidr('2001::/32'), 'reserved'],
  [cidr('2001:db8::/32'), 'documentation'],
  [cidr('fc00::/7'), 'private'],
  [cidr('fe80::/10'), 'link-local'],
  [cidr('fec0::/10'), 'private'],
  [cidr('ff00::/8'), 'multicast'],
];

/** Null for an address on the public internet; otherwise what it is ("loopback", "private", "link-local", ...). */
export function nonPublicCategory(ip: IpAddress): string | null {
  const inner = embeddedIpv4(ip);
  if (inner) return nonPublicCategory(inner);
  return NOT_PUBLIC.find(([range]) => inCidr(ip, range))?.[1] ?? null;
}

/**
 * The key per-client limits count an address under (the login throttle, rate buckets, in-flight shares, connection
 * caps): IPv4 as it is, also when written IPv4-mapped (::ffff:a.b.c.d, a dual-stack socket); IPv6 by its /64, the
 * smallest block an ISP hands out, since whoever holds one address of it can use all 2^64 and would otherwise get
 * a fresh budget for every request. Null when the text is not an IP address: each caller keys that its own way.
 */
export function addressBlockKey(address: string): string | null {
  const ip = parseIp(address);
  if (!ip) return null;
  if (ip.version === 4) return ip.bytes.join('.');
  if (ip.bytes.slice(0, 10).every((b) => b === 0) && ip.bytes[10] === 0xff && ip.bytes[11] === 0xff)
    return ip.bytes.slice(12).join('.');
  const words = [];
  for (let i = 0; i < 8; i += 2) words.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16));
  return `${words.join(':')}::/64`;
}
