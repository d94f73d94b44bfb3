// GET /sandbox/customers/{wa_id} — a virtual customer as the simulated network sees it
// (docs/api/sandbox.md#read-a-customer).
import type { FastifyInstance } from 'fastify';
import type { SandboxDirectory } from '../../../modes/sandbox/directory.js';
import type { RouteDeps } from '../deps.js';
import { customerParams, customerResponse, customerWaId } from './customer-schema.js';

export function registerSandboxCustomersGet(
  app: FastifyInstance,
  { phones }: RouteDeps,
  directory: SandboxDirectory,
): void {
  app.get<{ Params: { wa_id: string } }>('/sandbox/customers/:wa_id', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: 'Get a virtual customer',
      params: customerParams,
      response: { 200: customerResponse },
    },
    handler: async (request) => ({ customers: [await directory.get(customerWaId(phones, request.params.wa_id))] }),
  });
}
