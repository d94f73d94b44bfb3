// GET /sandbox/templates/{namespace}/{name}/{language} — one template translation; 404 / 1006 when there is none.
import type { FastifyInstance } from 'fastify';
import type { SandboxTemplates, TemplateKey } from '../../../modes/sandbox/templates.js';
import { unwrap } from '../../../lib/result.js';
import { templateKeyParams, templateResponse } from './template-schema.js';

export function registerSandboxTemplatesGet(app: FastifyInstance, templates: SandboxTemplates): void {
  app.get<{ Params: TemplateKey }>('/sandbox/templates/:namespace/:name/:language', {
    config: { access: 'admin', limit: 'exempt', apiStatus: 'experimental' },
    schema: {
      summary: 'Get a template translation',
      params: templateKeyParams,
      response: { 200: templateResponse },
    },
    handler: async (request) => ({ templates: [unwrap(await templates.get(request.params))] }),
  });
}
