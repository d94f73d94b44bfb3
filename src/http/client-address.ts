// The key that per-address limits count a client under: its address block (src/lib/ip-address.ts), or the text
// itself when it is not an IP address, so that each such client still has one key of its own.
import { addressBlockKey } from '../lib/ip-address.js';

export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  return addressBlockKey(address) ?? address;
}
