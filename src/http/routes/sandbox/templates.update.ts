// PATCH /sandbox/templates/{namespace}/{name}/{language} — changes the category, the status (approved, paused,
// disabled, rejected: what a send then fails with) or the whole components document. The key cannot change.
import type { FastifyInstance } from 'fastify';
import type { SandboxTemplates, TemplateKey, TemplateUpdate } from '../../../modes/sandbox/templates.js';
import { unwrap } from '../../../lib/result.js';
import { templateKeyParams, templateResponse, updateTemplateSchema } from './template-schema.js';

export function registerSandboxTemplatesUpdate(app: FastifyInstance, templates: SandboxTemplates): void {
  app.patch<{ Params: TemplateKey; Body: TemplateUpdate }>('/sandbox/templates/:namespace/:name/:language', {
    config: {
      access: 'admin',
      limit: 'exempt',
      apiStatus: 'experimental',
      audit: { event: 'sandbox template changed', fields: true },
    },
    schema: {
      summary: 'Change a template translation',
      description:
        'Its category, its status (approved, paused, disabled, rejected: what a send then fails with) or its components; the key cannot change.',
      params: templateKeyParams,
      body: updateTemplateSchema,
      response: { 200: templateResponse },
    },
    handler: async (request) => ({ templates: [unwrap(await templates.update(request.params, request.body ?? {}))] }),
  });
}
