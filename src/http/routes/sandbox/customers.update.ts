// PATCH /sandbox/customers/{wa_id} — sets a virtual customer's behaviour: profile name, on WhatsApp or not, read
// receipts, online, and an async failure to inject (docs/api/sandbox.md#change-a-customer).
import type { FastifyInstance } from 'fastify';
import type { SandboxDirectory, VirtualCustomerChanges } from '../../../modes/sandbox/directory.js';
import type { RouteDeps } from '../deps.js';
import { customerChangesSchema, customerParams, customerResponse, customerWaId } from './customer-schema.js';

export function registerSandboxCustomersUpdate(
  app: FastifyInstance,
  { phones }: RouteDeps,
  directory: SandboxDirectory,
): void {
  app.patch<{ Params: { wa_id: string }; Body: VirtualCustomerChanges }>('/sandbox/customers/:wa_id', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: "Change a virtual customer's behaviour",
      description:
        'Profile name, on WhatsApp or not, read receipts, online, and `fail_with`: an asynchronous error code every send to them fails with (null clears it).',
      params: customerParams,
      body: customerChangesSchema,
      response: { 200: customerResponse },
    },
    handler: async (request) => {
      const waId = customerWaId(phones, request.params.wa_id);
      return { customers: [await directory.update(waId, request.body ?? {})] };
    },
  });
}
