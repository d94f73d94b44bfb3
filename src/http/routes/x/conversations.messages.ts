// GET /x/v1/conversations/{wa_id}/messages — one conversation a page at a time: the newest `limit` messages before
// the cursor, oldest first within the page, each as GET /sandbox/customers/{wa_id}/messages shows it
// (src/http/views/message-view.ts). Any valid number is a conversation, empty until a message is exchanged.
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../schemas.js';
import { cloudMediaUrl, presentMessage, sandboxMediaUrl } from '../../views/message-view.js';
import type { RouteDeps } from '../deps.js';
import { customerParams, customerWaId } from '../sandbox/customer-schema.js';
import { cursorSchema, decodeCursor, encodeCursor } from './cursors.js';

interface Query {
  limit?: string;
  before?: string;
}

const DEFAULT_LIMIT = 100;
// Message ids are printable ASCII: the sandbox's wamid.<base64url>, Meta's wamids (base64 with + / =).
const MESSAGE_ID = /^[!-~]{1,256}$/;

const pageResponse = envelope({
  messages: { type: 'array', items: { type: 'object', additionalProperties: true } },
  paging: { type: 'object', properties: { before: { type: ['string', 'null'] } } },
});

export function registerConversationMessages(app: FastifyInstance, { phones, conversations, mode }: RouteDeps): void {
  // The sandbox serves each file as the customer got it; the cloud gateway only what has a local media id.
  const mediaUrlOf = mode.kind === 'sandbox' ? sandboxMediaUrl : cloudMediaUrl;
  app.get<{ Params: { wa_id: string }; Querystring: Query }>('/x/v1/conversations/:wa_id/messages', {
    config: { access: 'user', apiStatus: 'experimental' },
    schema: {
      summary: "One conversation's messages, a page at a time",
      description:
        'The newest `limit` messages before the cursor, oldest first within the page, as the customer sees them. Both gateways.',
      params: customerParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { limit: { type: 'string', pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$' }, before: cursorSchema },
      },
      response: { 200: pageResponse },
    },
    handler: async (request) => {
      const waId = customerWaId(phones, request.params.wa_id);
      const limit = request.query.limit ? Number(request.query.limit) : DEFAULT_LIMIT;
      const cursor = request.query.before ? decodeCursor(request.query.before, 'before', MESSAGE_ID) : null;
      const page = await conversations.messages(waId, cursor && { at: cursor.at, id: cursor.text }, limit);
      return {
        messages: page.rows.map((row) => presentMessage(row, mediaUrlOf)),
        paging: { before: page.next && encodeCursor({ at: page.next.at, text: page.next.id }) },
      };
    },
  });
}
