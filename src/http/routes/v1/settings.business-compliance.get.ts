// GET /v1/settings/business/compliance_info — the business's compliance information (Meta's v2.37 collection), or
// an empty object when none was given. Admin only, as Meta's page says and as the business profile is.
import type { FastifyInstance } from 'fastify';
import { complianceView } from '../../../services/compliance-rules.js';
import type { RouteDeps } from '../deps.js';
import { complianceResponse } from './compliance-schema.js';

export function registerBusinessComplianceGet(app: FastifyInstance, { compliance }: RouteDeps): void {
  app.get('/v1/settings/business/compliance_info', {
    config: { access: 'admin' },
    schema: {
      summary: 'Get the business compliance information',
      response: { 200: complianceResponse },
    },
    handler: async () => ({ settings: { business: { compliance_info: complianceView(await compliance.read()) } } }),
  });
}
