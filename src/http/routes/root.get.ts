// GET / — 200 without authentication for load balancers' health checks; it reveals nothing else (the version it
// shows is in every answer's Server header already). A browser, whose Accept ranks text/html above JSON, gets a
// small landing page linking the docs, the console and health; any other client the JSON envelope with the links.
import type { FastifyInstance } from 'fastify';
import { prefersHtml } from '../docs/negotiate.js';
import { landingPage, LANDING_CSP, LINKS, pageHeaders } from '../docs/pages.js';
import { createStaticFile, sendStaticFile } from '../docs/static-files.js';
import { envelope, withResponseExample } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const link = { type: 'string' } as const;
const rootResponse = envelope({
  links: { type: 'object', properties: { docs: link, openapi: link, console: link, health: link } },
});

export function registerRootGet(app: FastifyInstance, { node, config }: Pick<RouteDeps, 'node' | 'config'>): void {
  const landing = createStaticFile(landingPage(node.version, config.apiLevel), 'text/html; charset=utf-8');
  const headers = pageHeaders(LANDING_CSP);
  app.get('/', {
    config: { access: 'public', limit: 'exempt' },
    schema: {
      summary: 'Liveness for load balancers, and the way in',
      description:
        'Always 200 while the node serves. A browser gets an HTML page linking the documentation, the console and health.',
      produces: ['text/html'],
      response: { 200: withResponseExample(rootResponse, { links: LINKS }) },
    },
    handler: async (request, reply) => {
      reply.header('vary', 'accept');
      if (prefersHtml(request.headers.accept)) return sendStaticFile(request, reply, landing, headers);
      return { links: LINKS };
    },
  });
}
