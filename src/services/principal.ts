import type { Role } from '../db/repositories/users.js';

/** Who is calling: a logged-in user (by bearer token) or the holder of WA_API_KEY. */
export type Principal =
  | { readonly kind: 'user'; readonly username: string; readonly role: Role; readonly tokenHash: string }
  | { readonly kind: 'apikey' };

export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'user' && principal.role === 'ROLE_ADMIN';
}
