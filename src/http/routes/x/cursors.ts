// The paging cursors of the console's routes: opaque to clients (base64url), a time and a string inside. A cursor
// is a place in a keyset order, never an offset, so rows arriving meanwhile neither repeat nor skip a page's rows.
import { ApiError } from '../../../errors.js';

/** The query-string shape of a cursor, checked by the route schema before it is decoded here. */
export const cursorSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{4,400}$' } as const;

export interface Cursor {
  at: number;
  text: string;
}

export function encodeCursor({ at, text }: Cursor): string {
  return Buffer.from(`${at}:${text}`).toString('base64url');
}

/** A cursor this server gave: `text` must match `textPattern`; anything else is 400 / 1009 naming the parameter. */
export function decodeCursor(raw: string, parameter: string, textPattern: RegExp): Cursor {
  const match = /^(\d{1,15}):(.+)$/s.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match || !textPattern.test(match[2]!)) {
    throw new ApiError(
      'invalidParameter',
      `query parameter ${parameter} is not a cursor this endpoint gave (take it from paging.${parameter})`,
    );
  }
  return { at: Number(match[1]), text: match[2]! };
}
