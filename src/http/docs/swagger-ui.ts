// GET /docs (Swagger UI on this node's own /openapi.json) and GET /docs/{file} (its files). Offline: every file comes
// from the swagger-ui-dist package or from pages.ts, read once per process and served from memory.
//
// Public, like the document: the page is the same for everyone and a token typed into it stays in the browser.
// Not exempt from the limits like GET / (a balancer's probe): a page load is ~7 requests drawn from the caller's
// anonymous bucket (burst 20), and a node under load may refuse 1.8 MB of JavaScript before an API call.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { DOCS_CSP, docsPage, pageHeaders, STYLESHEET, SWAGGER_INITIALIZER } from './pages.js';
import { createStaticFile, sendStaticFile, type StaticFile } from './static-files.js';

// The parts of swagger-ui-dist the page uses: the bundle holds React and the UI (no standalone preset, whose top
// bar the page does not show), plus its stylesheet and icons. Source maps stay out: 5 MB for developer tools only.
const DIST_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

let files: ReadonlyMap<string, StaticFile> | null = null;

/** The files under /docs/, read on the first call in this process (every node of a test run shares them). */
function docsFiles(): ReadonlyMap<string, StaticFile> {
  if (files) return files;
  const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const map = new Map(
    Object.entries(DIST_FILES).map(([name, type]) => [
      name,
      createStaticFile(readFileSync(path.join(dist, name)), type),
    ]),
  );
  map.set('swagger-initializer.js', createStaticFile(SWAGGER_INITIALIZER, 'text/javascript; charset=utf-8'));
  map.set('openprem.css', createStaticFile(STYLESHEET, 'text/css; charset=utf-8'));
  files = map;
  return map;
}

export function registerSwaggerUi(app: FastifyInstance, { node }: { node: { readonly version: string } }): void {
  const assets = docsFiles();
  const page = createStaticFile(docsPage(node.version), 'text/html; charset=utf-8');
  const headers = pageHeaders(DOCS_CSP);
  const config = { access: 'public', limit: 'default' } as const;

  app.get('/docs', { config, handler: (request, reply) => sendStaticFile(request, reply, page, headers) });
  app.get<{ Params: { file: string } }>('/docs/:file', {
    config,
    handler: (request, reply) => {
      const file = assets.get(request.params.file);
      if (!file) throw new ApiError('notFound', `no such file: /docs/${request.params.file}`);
      return sendStaticFile(request, reply, file, headers);
    },
  });
}
