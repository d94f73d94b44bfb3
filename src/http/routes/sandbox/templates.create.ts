// POST /sandbox/templates — adds a template translation, approved unless `status` says otherwise, in the sandbox
// namespace unless `namespace` names another. 201; 409 / 1004 when that namespace, name and language exist.
import type { FastifyInstance } from 'fastify';
import type { NewTemplate, SandboxTemplates } from '../../../modes/sandbox/templates.js';
import { unwrap } from '../../../lib/result.js';
import { createTemplateSchema, templateResponse } from './template-schema.js';

export function registerSandboxTemplatesCreate(app: FastifyInstance, templates: SandboxTemplates): void {
  app.post<{ Body: NewTemplate }>('/sandbox/templates', {
    config: {
      access: 'admin',
      limit: 'exempt',
      apiStatus: 'experimental',
      audit: { event: 'sandbox template created', values: ['name', 'language', 'namespace'] },
    },
    schema: {
      summary: 'Add a template translation',
      description: '409 / 1004 when that namespace, name and language exist.',
      errorStatuses: [409],
      body: createTemplateSchema,
      response: { 201: templateResponse },
    },
    handler: async (request, reply) => {
      const created = unwrap(await templates.create(request.body));
      return reply.code(201).send({ templates: [created] });
    },
  });
}
