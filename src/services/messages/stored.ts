// How an outbound message is kept in messages.content: what the API accepted, in the request's own shape (the
// customer's view shows it), plus the template summary a gateway checks the send against.
import type { TemplateSummary } from './outbound.js';

export type { TemplateSummary };

export interface StoredOutbound {
  /** The request's message fields: `type`, the type's object, and `context`, `preview_url`, `ttl` when given. */
  message: Record<string, unknown>;
  template: TemplateSummary | null;
}

export function readStoredOutbound(content: string): StoredOutbound {
  return JSON.parse(content) as StoredOutbound;
}
