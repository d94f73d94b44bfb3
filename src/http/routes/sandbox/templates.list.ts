// GET /sandbox/templates — the sandbox's templates, every translation, ordered by namespace, name and language;
// optional exact-match filters ?namespace= &name= &language= &category= &status= (docs/api/sandbox.md#list-templates).
import type { FastifyInstance } from 'fastify';
import type { SandboxTemplates, TemplateFilter } from '../../../modes/sandbox/templates.js';
import { listTemplatesQuery, templateResponse } from './template-schema.js';

export function registerSandboxTemplatesList(app: FastifyInstance, templates: SandboxTemplates): void {
  app.get<{ Querystring: TemplateFilter }>('/sandbox/templates', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: 'List the sandbox templates',
      description:
        'Every translation, ordered by namespace, name and language; the query parameters filter by exact match.',
      querystring: listTemplatesQuery,
      response: { 200: templateResponse },
    },
    handler: async (request) => ({ templates: await templates.list(request.query) }),
  });
}
