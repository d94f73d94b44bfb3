// GET /console and /console/* — the web console, one page served by the node itself. The page holds no data (it
// asks the API for everything, with the token the user logs in for), so its files are public. Any path that is not
// a file answers index.html, so that a view's address (/console/deliveries) can be reloaded or bookmarked; a
// missing asset (a path with an extension, or below vendor/) is 404 in the API envelope, not a page served as code.
// Every file is sent as the docs pages' are (src/http/docs/static-files.ts): from memory, gzipped once, revalidated
// by ETag, with the pages' security headers.
//
// @fastify/swagger's types add `hide` to route schemas.
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { pageHeaders } from '../docs/pages.js';
import { sendStaticFile } from '../docs/static-files.js';
import { consoleFiles, type ConsoleFiles } from './files.js';

/**
 * The page runs only its own files: its modules (script-src 'self') and the import map inline in index.html,
 * allowed by its hash alone. uPlot sets its sizes through element.style (CSSOM), which style-src 'self' allows,
 * so no 'unsafe-inline'. Images are the node's, or blob: URLs of media fetched with the token. form-action 'none':
 * every form is handled by script, and a form submitted without it must not put a password in a URL.
 */
function contentSecurityPolicy(importMapHash: string): string {
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

export function registerConsole(app: FastifyInstance, files: ConsoleFiles = consoleFiles()): void {
  const headers = pageHeaders(contentSecurityPolicy(files.importMapHash));
  // Exempt from the rate limits like GET /: the login screen alone is 18 files and every view opened 51, which the
  // anonymous bucket (5/s, burst 20) would refuse part of, breaking the page. The files are in memory (gzipped once),
  // so they cost about what GET / does.
  const config = { access: 'public', limit: 'exempt' } as const;
  // Left out of the OpenAPI document: this is the page, not the API.
  const schema = { hide: true };

  app.get('/console', { config, schema }, (request, reply) => sendStaticFile(request, reply, files.index, headers));
  app.get<{ Params: { '*': string } }>('/console/*', { config, schema }, async (request, reply) => {
    const wanted = request.params['*'];
    const file = files.files.get(wanted);
    if (file) return sendStaticFile(request, reply, file, headers);
    if (FILE_LIKE.test(wanted) || wanted.startsWith('vendor/'))
      throw new ApiError('notFound', `the console has no file ${wanted}`);
    return sendStaticFile(request, reply, files.index, headers);
  });
}
