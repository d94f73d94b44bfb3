// How the console shows a message in a list: its content as the API took it or the webhook carried it, and a
// one-line preview.
import type { MessageRow } from '../../db/repositories/messages.js';
import { readStoredOutbound } from '../../services/messages/stored.js';

/** The message's fields as the API took them (outbound) or the webhook carried them (inbound). */
export function contentOf(row: MessageRow): Record<string, unknown> {
  return row.direction === 'in' ? (JSON.parse(row.content) as Record<string, unknown>) : readStoredOutbound(row.content).message;
}

const PREVIEW_CHARACTERS = 80;

/** A line for a list: the text, a caption, a template's name, else the type; at most 80 characters. */
export function previewOf(row: MessageRow): string {
  const content = contentOf(row);
  const part = (content[row.type] ?? {}) as { body?: unknown; caption?: unknown; name?: unknown; element_name?: unknown };
  const text = [part.body, part.caption, part.name, part.element_name].find((value) => typeof value === 'string' && value !== '');
  // By code point, so that an emoji is never cut in half.
  return Array.from((text as string | undefined) ?? row.type).slice(0, PREVIEW_CHARACTERS).join('');
}
