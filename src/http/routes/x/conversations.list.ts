// GET /x/v1/conversations — the customers who have messages, newest activity first (the console's inbox), each
// with its newest message, its unread inbound messages and its message count. How the page is found without an
// index of its own: src/services/messages/conversations.ts.
import type { FastifyInstance } from 'fastify';
import type { Conversation } from '../../../services/messages/conversations.js';
import { envelope } from '../../schemas.js';
import { previewOf } from '../../views/message-view.js';
import type { RouteDeps } from '../deps.js';
import { cursorSchema, decodeCursor, encodeCursor } from './cursors.js';

interface Query {
  limit?: string;
  before?: string;
}

const DEFAULT_LIMIT = 50;
const WA_ID = /^[0-9]{1,20}$/;

const conversationSchema = {
  type: 'object',
  properties: {
    wa_id: { type: 'string' },
    last_message: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        direction: { type: 'string' },
        type: { type: 'string' },
        status: { type: 'string' },
        timestamp: { type: 'string' },
        preview: { type: 'string' },
      },
    },
    unread: { type: 'integer' },
    messages: { type: 'integer' },
  },
} as const;

const listResponse = envelope({
  conversations: { type: 'array', items: conversationSchema },
  paging: { type: 'object', properties: { before: { type: ['string', 'null'] } } },
});

function present({ waId, last, unread, messages }: Conversation) {
  return {
    wa_id: waId,
    last_message: {
      id: last.id,
      direction: last.direction === 'in' ? 'inbound' : 'outbound',
      type: last.type,
      status: last.status,
      timestamp: String(Math.floor(Number(last.created_at) / 1000)),
      preview: previewOf(last),
    },
    unread,
    messages,
  };
}

export function registerConversationsList(app: FastifyInstance, { conversations }: RouteDeps): void {
  app.get<{ Querystring: Query }>('/x/v1/conversations', {
    config: { access: 'user', apiStatus: 'experimental' },
    schema: {
      summary: 'List the conversations, newest activity first',
      description:
        'The customers who have messages, with the last message, how many inbound messages the business has not read, and the count. Both gateways.',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { limit: { type: 'string', pattern: '^([1-9][0-9]?|100)$' }, before: cursorSchema },
      },
      response: { 200: listResponse },
    },
    handler: async (request) => {
      const limit = request.query.limit ? Number(request.query.limit) : DEFAULT_LIMIT;
      const cursor = request.query.before ? decodeCursor(request.query.before, 'before', WA_ID) : null;
      const page = await conversations.list(cursor && { at: cursor.at, waId: cursor.text }, limit);
      return {
        conversations: page.conversations.map(present),
        paging: { before: page.next && encodeCursor({ at: page.next.at, text: page.next.waId }) },
      };
    },
  });
}
