// WA_MEDIA_LINK_ALLOW: the non-public places a media `link` may still be fetched from (a media server on the
// business's own network, a test server on loopback). Comma-separated entries, each one of:
//   10.0.0.0/8, fd00::/8          a CIDR range (any port)
//   127.0.0.1, ::1                one address (any port)
//   127.0.0.1:8080, [::1]:8080    one address on one port
//   media.internal, localhost:8080  a host name (any port, or one port): the name may resolve to non-public addresses
// Public addresses need no entry. A name entry trusts what that name resolves to, so list only names whose DNS the
// business controls.
import { embeddedIpv4, inCidr, parseCidr, type Cidr, type IpAddress } from './ip-address.js';

export type LinkAllowEntry =
  | { readonly kind: 'range'; readonly range: Cidr; readonly port: number | null }
  | { readonly kind: 'host'; readonly host: string; readonly port: number | null };

const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Parses the variable; throws an Error naming the entry that is not understood. */
export function parseLinkAllowList(raw: string): LinkAllowEntry[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseEntry);
}

function parseEntry(entry: string): LinkAllowEntry {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return rangeEntry(entry, bracketed[1]!, bracketed[2]);
  // Two colons or more without brackets: a bare IPv6 address or range, which cannot carry a port.
  if ((entry.match(/:/g) ?? []).length > 1) return rangeEntry(entry, entry, undefined);
  const [name, port] = entry.split(':') as [string, string | undefined];
  if (parseCidr(name)) return rangeEntry(entry, name, port);
  const host = name.toLowerCase();
  if (!HOST.test(host))
    throw new Error(`"${entry}" is not an address, a CIDR range or a host name (with an optional :port)`);
  return { kind: 'host', host, port: readPort(entry, port) };
}

function rangeEntry(entry: string, address: string, port: string | undefined): LinkAllowEntry {
  const range = parseCidr(address);
  if (!range) throw new Error(`"${entry}" is not a valid address or CIDR range`);
  if (port !== undefined && range.prefix !== (range.version === 4 ? 32 : 128)) {
    throw new Error(`"${entry}": a port can follow a single address, not a range`);
  }
  return { kind: 'range', range, port: readPort(entry, port) };
}

function readPort(entry: string, port: string | undefined): number | null {
  if (port === undefined) return null;
  const value = Number(port);
  if (!/^\d{1,5}$/.test(port) || value < 1 || value > 65535) throw new Error(`"${entry}": the port must be 1 to 65535`);
  return value;
}

/** Whether a connection to `ip` on `port`, made for the URL host `host`, is listed. */
export function isAllowed(entries: readonly LinkAllowEntry[], host: string, ip: IpAddress, port: number): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const inner = embeddedIpv4(ip);
  return entries.some((entry) => {
    if (entry.port !== null && entry.port !== port) return false;
    if (entry.kind === 'host') return entry.host === name;
    return inCidr(ip, entry.range) || (inner !== null && inCidr(inner, entry.range));
  });
}
