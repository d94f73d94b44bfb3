// DELETE /sandbox/templates/{namespace}/{name}/{language} — removes one translation; sends of it then fail with
// 2001. 404 / 1006 when there is none.
import type { FastifyInstance } from 'fastify';
import type { SandboxTemplates, TemplateKey } from '../../../modes/sandbox/templates.js';
import { unwrap } from '../../../lib/result.js';
import { emptyEnvelope } from '../../schemas.js';
import { templateKeyParams } from './template-schema.js';

export function registerSandboxTemplatesDelete(app: FastifyInstance, templates: SandboxTemplates): void {
  app.delete<{ Params: TemplateKey }>('/sandbox/templates/:namespace/:name/:language', {
    config: {
      access: 'admin',
      limit: 'exempt',
      apiStatus: 'experimental',
      audit: { event: 'sandbox template deleted' },
    },
    schema: {
      summary: 'Delete a template translation',
      description: 'Sends of it then fail with 2001.',
      params: templateKeyParams,
      response: { 200: emptyEnvelope },
    },
    handler: async (request) => {
      unwrap(await templates.delete(request.params));
      return {};
    },
  });
}
