import type { WebhookOutboxTable } from '../../../db/schema.js';
import { envelope } from '../../schemas.js';

const deliveryProperties = {
  id: { type: 'string' },
  kind: { type: 'string' },
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

type Row = Pick<WebhookOutboxTable, 'delivery_id' | 'kind' | 'state' | 'attempts' | 'created_at' | 'next_attempt_at' | 'completed_at' | 'last_status_code' | 'last_error'>;

/** Times are milliseconds since the epoch; next_attempt_at only means something while pending. */
export function presentDelivery(row: Row) {
  return {
    id: row.delivery_id,
    kind: row.kind,
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
