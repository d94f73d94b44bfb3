// GET /console and /console/* — the web console, one page served by the node itself. The page holds no data (it
// asks the API for everything, with the token the user logs in for), so its files are public. Any path that is not
// a file answers index.html, so that a view's address (/console/deliveries) can be reloaded or bookmarked; a
// missing asset (a path with an extension, or below vendor/) is 404 in the API envelope, not a page served as code.
// @fastify/swagger's types add `hide` to route schemas.
import type {} from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { loadConsoleFiles, type ConsoleFile, type ConsoleFiles } from './files.js';

/**
 * The page runs only its own files: its modules (script-src 'self') and the import map inline in index.html,
 * allowed by its hash alone. uPlot sets its sizes through element.style (CSSOM), which style-src 'self' allows,
 * so no 'unsafe-inline'. Images are the node's, or blob: URLs of media fetched with the token. form-action 'none':
 * every form is handled by script, and a form submitted without it must not put a password in a URL.
 */
export function contentSecurityPolicy(importMapHash: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${importMapHash}`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const FILE_LIKE = /\.[a-z0-9]+$/i;

export function registerConsole(app: FastifyInstance, files: ConsoleFiles = loadConsoleFiles()): void {
  const policy = contentSecurityPolicy(files.importMapHash);

  function send(request: FastifyRequest, reply: FastifyReply, file: ConsoleFile): FastifyReply {
    reply
      .header('content-security-policy', policy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      // Revalidated on every load (a 304 costs a round trip, no bytes): vendor paths carry no version, so a
      // longer cache would keep an old preact after an upgrade.
      .header('cache-control', 'no-cache')
      .header('etag', file.etag);
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.type(file.contentType).send(file.body);
  }

  // Rate-limit exempt like GET /: one page load fetches about fifteen files, and the anonymous bucket (5/s)
  // would refuse a reload. The files are in memory, so they cost no more than GET / does.
  const config = { access: 'public', limit: 'exempt' } as const;
  // Left out of the OpenAPI document: this is the page, not the API.
  const schema = { hide: true };

  app.get('/console', { config, schema }, async (request, reply) => send(request, reply, files.index));
  app.get<{ Params: { '*': string } }>('/console/*', { config, schema }, async (request, reply) => {
    const wanted = request.params['*'];
    const file = files.files.get(wanted);
    if (file) return send(request, reply, file);
    if (FILE_LIKE.test(wanted) || wanted.startsWith('vendor/')) throw new ApiError('notFound', `the console has no file ${wanted}`);
    return send(request, reply, files.index);
  });
}
