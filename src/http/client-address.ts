// The key that per-address limits count a client under. One IPv6 host is normally given a whole /64, so an IPv6
// client is counted by its /64: otherwise it could take a fresh address, and a fresh budget, for every request.
import { parseIp } from '../lib/ip-address.js';

export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const ip = parseIp(address);
  if (!ip) return address;
  if (ip.version === 4) return ip.bytes.join('.');
  const words = [];
  for (let i = 0; i < 8; i += 2) words.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16));
  // An IPv4 address carried as ::ffff:a.b.c.d (a dual-stack socket) is that IPv4 client.
  if (ip.bytes.slice(0, 10).every((b) => b === 0) && ip.bytes[10] === 0xff && ip.bytes[11] === 0xff) return ip.bytes.slice(12).join('.');
  return `${words.join(':')}::/64`;
}
