// Table types for Kysely. Times are milliseconds since the epoch (BIGINT); booleans are 0/1 integers so that
// SQLite and PostgreSQL share one code path.
import type { Generated } from 'kysely';

export interface UsersTable {
  username: string;
  password_hash: string;
  role: 'ROLE_ADMIN' | 'ROLE_USER';
  must_change_password: number;
  created_at: number;
  updated_at: number;
}

export interface AuthTokensTable {
  token_hash: string;
  username: string;
  created_at: number;
  expires_at: number;
}

/** The 7-day cache of contact look-ups, keyed by wa_id. */
export interface ContactsTable {
  wa_id: string;
  status: 'valid' | 'invalid';
  checked_at: number;
  expires_at: number;
}

/** `blocking: no_wait` look-ups still to run (or finished, with their result), so a restart loses none. */
export interface ContactLookupsTable {
  id: Generated<number>;
  /** JSON array of {input, wa_id} in request order. */
  entries: string;
  state: 'pending' | 'done';
  /** JSON array of {input, status, wa_id?} once done. */
  result: string | null;
  attempts: number;
  run_at: number;
  claimed_until: number | null;
  created_at: number;
  completed_at: number | null;
}

/** Virtual customers whose behaviour differs from the sandbox defaults. */
export interface SandboxCustomersTable {
  wa_id: string;
  name: string | null;
  on_whatsapp: number;
  read_receipts: number;
  online: number;
  fail_with: number | null;
  created_at: number;
  updated_at: number;
}

export interface Database {
  users: UsersTable;
  auth_tokens: AuthTokensTable;
  contacts: ContactsTable;
  contact_lookups: ContactLookupsTable;
  sandbox_customers: SandboxCustomersTable;
}
