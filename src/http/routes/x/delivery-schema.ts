import type { DeliveryRow } from '../../../services/webhook-deliveries.js';
import { envelope } from '../../schemas.js';

const deliveryProperties = {
  id: { type: 'string' },
  kind: { type: 'string' },
  message_id: { type: ['string', 'null'] },
  state: { type: 'string' },
  attempts: { type: 'integer' },
  created_at: { type: 'integer' },
  next_attempt_at: { type: ['integer', 'null'] },
  completed_at: { type: ['integer', 'null'] },
  last_status_code: { type: ['integer', 'null'] },
  last_error: { type: ['string', 'null'] },
} as const;

export const deliveryListResponse = envelope({
  deliveries: { type: 'array', items: { type: 'object', properties: deliveryProperties } },
  paging: { type: 'object', properties: { before: { type: ['integer', 'null'] } } },
});

export const deliveryDetailResponse = envelope({
  deliveries: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        ...deliveryProperties,
        payload: { type: 'object', additionalProperties: true },
        attempt_log: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              attempted_at: { type: 'integer' },
              duration_ms: { type: 'integer' },
              status_code: { type: ['integer', 'null'] },
              error: { type: ['string', 'null'] },
              response_body: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
  },
});

type Row = Omit<DeliveryRow, 'id'>;

/**
 * Times are milliseconds since the epoch; next_attempt_at only means something while pending. message_id: the
 * message a status or an inbound message callback is about (null for contacts and errors), so that the log can be
 * searched by it; read from the payload (a list page is at most 500 rows of about 1 KB).
 */
export function presentDelivery(row: Row) {
  return {
    id: row.delivery_id,
    kind: row.kind,
    message_id: messageIdOf(row.payload),
    state: row.state,
    attempts: row.attempts,
    created_at: row.created_at,
    next_attempt_at: row.state === 'pending' ? row.next_attempt_at : null,
    completed_at: row.completed_at,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
  };
}

export const deliveryIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

function messageIdOf(payload: string): string | null {
  const body = JSON.parse(payload) as { statuses?: { id?: unknown }[]; messages?: { id?: unknown }[] };
  const id = body.statuses?.[0]?.id ?? body.messages?.[0]?.id;
  return typeof id === 'string' ? id : null;
}
