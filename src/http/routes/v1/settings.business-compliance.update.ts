// POST /v1/settings/business/compliance_info — gives the whole compliance information, replacing what was there
// (every required field each time, as Meta's page has it; not a partial update like the business profile). 200
// once stored; on the cloud gateway, once Meta took it.
import type { FastifyInstance } from 'fastify';
import { unwrap } from '../../../lib/result.js';
import type { ComplianceBody } from '../../../services/compliance.js';
import { emptyEnvelope } from '../../schemas.js';
import type { RouteDeps } from '../deps.js';
import { complianceBodySchema } from './compliance-schema.js';

export function registerBusinessComplianceUpdate(app: FastifyInstance, { compliance }: RouteDeps): void {
  app.post<{ Body: ComplianceBody }>('/v1/settings/business/compliance_info', {
    config: { access: 'admin', audit: { event: 'business compliance information changed', fields: true } },
    schema: {
      summary: 'Set the business compliance information',
      description: 'All of it, each time: it replaces what was there.',
      body: complianceBodySchema,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await compliance.write(request.body));
      return {};
    },
  });
}
