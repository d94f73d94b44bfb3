// GET /sandbox/customers/{wa_id}/messages — the conversation as the customer sees it, oldest first: what the
// business sent and how far it got, what the customer wrote and whether the business read it.
import type { FastifyInstance } from 'fastify';
import type { MessageRow } from '../../../db/repositories/messages.js';
import { readStoredOutbound } from '../../../services/messages/stored.js';
import { MEDIA_MESSAGE_TYPES } from '../../../gateway/sandbox/customer-media.js';
import { envelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { customerParams, customerWaId } from './customer-schema.js';

// The newest 1,000 would need paging; a sandbox conversation under test is far shorter.
const MAX_MESSAGES = 1000;

const seconds = (ms: number | null) => (ms === null ? null : String(Math.floor(Number(ms) / 1000)));

function view(row: MessageRow) {
  const inbound = row.direction === 'in';
  const content = inbound ? (JSON.parse(row.content) as Record<string, unknown>) : readStoredOutbound(row.content).message;
  return {
    direction: inbound ? 'inbound' : 'outbound',
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
    // Where the file of a media message can be fetched as the customer got it (or sent it).
    ...(MEDIA_MESSAGE_TYPES.includes(row.type) ? { media_url: `/sandbox/customers/${row.wa_id}/messages/${row.id}/media` } : {}),
  };
}

export function registerSandboxCustomerMessages(app: FastifyInstance, { phones, messages }: RouteDeps): void {
  app.get<{ Params: { wa_id: string } }>('/sandbox/customers/:wa_id/messages', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: 'Get the conversation as the customer sees it',
      description: 'Oldest first, each message with its direction, type, content, status and timestamps.',
      params: customerParams,
      response: { 200: envelope({ messages: { type: 'array', items: { type: 'object', additionalProperties: true } } }) },
    },
    handler: async (request) => {
      const waId = customerWaId(phones, request.params.wa_id);
      return { messages: (await messages.repository.forCustomer(waId, MAX_MESSAGES)).map(view) };
    },
  });
}
