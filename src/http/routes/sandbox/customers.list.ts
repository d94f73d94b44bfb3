// GET /sandbox/customers — the virtual customers the sandbox stores, in wa_id order, a page at a time (keyset on
// wa_id: the next page starts after the last wa_id of this one, so a customer added meanwhile is not seen twice).
import type { FastifyInstance } from 'fastify';
import type { SandboxDirectory } from '../../../modes/sandbox/directory.js';
import type { WaId } from '../../../lib/phone.js';
import { envelope } from '../../schemas.js';
import { customerResponse } from './customer-schema.js';

interface Query {
  limit?: string;
  after?: string;
}

const DEFAULT_LIMIT = 100;

const listResponse = envelope({
  customers: customerResponse.properties.customers,
  paging: { type: 'object', properties: { after: { type: ['string', 'null'] } } },
});

export function registerSandboxCustomersList(app: FastifyInstance, directory: SandboxDirectory): void {
  app.get<{ Querystring: Query }>('/sandbox/customers', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: 'List the virtual customers',
      description:
        'Paged by wa_id: `after` is the last wa_id of the previous page; `paging.after` is null on the last page.',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'string', pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$' },
          // A wa_id is digits only (the paging cursor is the last wa_id of the previous page).
          after: { type: 'string', pattern: '^[0-9]{1,20}$' },
        },
      },
      response: { 200: listResponse },
    },
    handler: async (request) => {
      const limit = request.query.limit ? Number(request.query.limit) : DEFAULT_LIMIT;
      // One more than asked says whether another page follows, so the last page says so itself.
      const customers = await directory.list((request.query.after ?? null) as WaId | null, limit + 1);
      const page = customers.slice(0, limit);
      return { customers: page, paging: { after: customers.length > limit ? page.at(-1)!.wa_id : null } };
    },
  });
}
