// A known path called with a method it does not have answers 405 with an Allow header, in the envelope, instead
// of Fastify's 404: a client that sent GET instead of POST learns what is wrong.
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { ApiError } from '../errors.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export function registerMethodNotAllowed(app: FastifyInstance) {
  const methodsByUrl = new Map<string, Set<string>>();
  let adding = false;
  app.addHook('onRoute', (route) => {
    if (adding) return;
    const methods = methodsByUrl.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    methodsByUrl.set(route.url, methods);
  });

  return {
    /** Call once every route is registered. */
    addMethodNotAllowedRoutes(): void {
      adding = true;
      for (const [url, methods] of methodsByUrl) {
        const missing = METHODS.filter((m) => !methods.has(m));
        if (missing.length === 0) continue;
        refuseMethods(
          app,
          url,
          missing,
          METHODS.filter((m) => methods.has(m)),
        );
      }
    },
  };
}

/**
 * The 405 answer for `refused` methods on `url`. Scopes that load after addMethodNotAllowedRoutes ran (the raw-body
 * routes' own parsers) call it themselves. Left out of the OpenAPI document (`hide`): it is no operation.
 */
export function refuseMethods(
  app: FastifyInstance,
  url: string,
  refused: readonly HTTPMethods[],
  allowed: readonly string[],
): void {
  const allow = allowed.join(', ');
  app.route({
    method: [...refused],
    url,
    config: { access: 'public', limit: 'exempt' },
    schema: { hide: true },
    handler: async (request, reply) => {
      reply.header('allow', allow);
      throw new ApiError('methodNotAllowed', `${request.method} is not allowed on ${url}; allowed: ${allow}`);
    },
  });
}
