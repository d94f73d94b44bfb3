// What every response carries: `meta` in JSON bodies, the Server and X-Request-Id headers; and what every
// response is counted as in the metrics.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../metrics.js';
import { routeConfig } from '../route-config.js';

export interface DecorationDeps {
  config: { apiLevel: string };
  node: { version: string };
  metrics: Metrics;
}

export function registerResponseDecoration(app: FastifyInstance, { config, node, metrics }: DecorationDeps): void {
  const stableMeta = Object.freeze({ api_status: 'stable', version: config.apiLevel });
  const experimentalMeta = Object.freeze({ api_status: 'experimental', version: config.apiLevel });
  const serverHeader = `OpenPrem/${node.version}`;

  // Done-callback hooks: none of them waits, so none needs a promise and a microtask turn per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('server', serverHeader);
    reply.header('x-request-id', request.id);
    done();
  });

  app.addHook('preSerialization', (request, _reply, payload: unknown, done) => {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return done(null, payload);
    const meta = routeConfig(request).apiStatus === 'experimental' ? experimentalMeta : stableMeta;
    done(null, { ...payload, meta });
  });

  app.addHook('onResponse', (request, reply, done) => {
    // Unknown URLs share one label so that scanners cannot blow up the metric's cardinality.
    const labels = {
      method: request.method,
      route: routeConfig(request).url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
