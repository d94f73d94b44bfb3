// One message as the console and the sandbox's customer view show it: direction, content, status and times, and
// where its file can be fetched. Shared by GET /sandbox/customers/{wa_id}/messages and
// GET /x/v1/conversations/{wa_id}/messages, so that both show a message the same way.
import { MEDIA_MESSAGE_TYPES } from '../../modes/sandbox/customer-media.js';
import type { Conversations } from '../../services/messages/conversations.js';
import { readStoredOutbound } from '../../services/messages/stored.js';

/** A stored message, as the conversations service pages them. */
type MessageRow = Awaited<ReturnType<Conversations['messages']>>['rows'][number];

/** Where a media message's file can be fetched, or null where nothing serves it. */
export type MediaUrlOf = (row: MessageRow, content: Record<string, unknown>) => string | null;

/** The sandbox: the file as the customer got it (or sent it), admin only (GET /sandbox/customers/…/media). */
export const sandboxMediaUrl: MediaUrlOf = (row) => `/sandbox/customers/${row.wa_id}/messages/${row.id}/media`;

/**
 * The cloud gateway has no customer side: a file with a local media id is served by GET /v1/media/{id} (uploads,
 * and customers' files adopted from Meta); one sent by link was never stored, so there is nothing to point at.
 */
export const cloudMediaUrl: MediaUrlOf = (row, content) => {
  const id = (content[row.type] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? `/v1/media/${encodeURIComponent(id)}` : null;
};

const seconds = (ms: number | null) => (ms === null ? null : String(Math.floor(Number(ms) / 1000)));

/** The message's fields as the API took them (outbound) or the webhook carried them (inbound). */
function contentOf(row: MessageRow): Record<string, unknown> {
  return row.direction === 'in'
    ? (JSON.parse(row.content) as Record<string, unknown>)
    : readStoredOutbound(row.content).message;
}

export function presentMessage(row: MessageRow, mediaUrlOf: MediaUrlOf) {
  const content = contentOf(row);
  return {
    direction: row.direction === 'in' ? 'inbound' : 'outbound',
    id: row.id,
    type: row.type,
    content: content[row.type] ?? null,
    context: row.context_id === null ? null : { id: row.context_id },
    status: row.status,
    errors: row.error_code === null ? null : [{ code: row.error_code }],
    timestamps: {
      created: seconds(row.created_at),
      sent: seconds(row.sent_at),
      delivered: seconds(row.delivered_at),
      read: seconds(row.read_at),
    },
    ...(MEDIA_MESSAGE_TYPES.includes(row.type) ? { media_url: mediaUrlOf(row, content) } : {}),
  };
}

const PREVIEW_CHARACTERS = 80;

/** The words a person would read first in a message of each shape, in the order they are looked for. */
const PREVIEW_PATHS: readonly (readonly string[])[] = [
  ['body'],
  ['caption'],
  ['name'],
  ['element_name'],
  // interactive: what the business asked, or which button or row the customer chose
  ['body', 'text'],
  ['button_reply', 'title'],
  ['list_reply', 'title'],
  // a tapped template button, a file's name, a place, a reaction, a contact card
  ['text'],
  ['filename'],
  ['address'],
  ['emoji'],
  ['0', 'name', 'formatted_name'],
];

function pick(value: unknown, path: readonly string[]): string | undefined {
  let here = value;
  for (const key of path)
    here = here !== null && typeof here === 'object' ? (here as Record<string, unknown>)[key] : undefined;
  return typeof here === 'string' && here !== '' ? here : undefined;
}

/** A line for a list: the first words of the message (see PREVIEW_PATHS), else its type; at most 80 characters. */
export function previewOf(row: MessageRow): string {
  const part = contentOf(row)[row.type];
  const text = PREVIEW_PATHS.map((path) => pick(part, path)).find((found) => found !== undefined);
  // By code point, so that an emoji is never cut in half.
  return Array.from(text ?? row.type)
    .slice(0, PREVIEW_CHARACTERS)
    .join('');
}
