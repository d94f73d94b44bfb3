// The key that per-address limits count a client under: its address block (src/lib/ip-address.ts), or the text
// itself when it is not an IP address, so that each such client still has one key of its own.
import { addressBlockKey } from '../lib/ip-address.js';

// Parsing the address was ~1.5 % of a cached POST /v1/contacts profile, on every request of a connection that
// keeps one address. The key depends on the text alone, so it is remembered; 10,000 keys × ~150 bytes ≈ 1.5 MB,
// and past that the memory starts again rather than growing with a flood of addresses.
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, string>();

export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  let key = remembered.get(address);
  if (key === undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    key = addressBlockKey(address) ?? address;
    remembered.set(address, key);
  }
  return key;
}
