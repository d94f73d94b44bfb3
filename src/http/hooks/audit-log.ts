// One info line per successful admin action (a user created, settings changed, a backup taken …), declared by the
// route as `config.audit`: who did it, from where, on what (the path parameters), and for a change, which fields it
// named. Values are never logged unless the route lists them as safe: bodies carry passwords, secrets and PINs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEntry } from '../types.js';
import { routeConfig } from '../route-config.js';

// Deep enough for `webhooks.message.delivered`, shallow enough that a large body costs nothing.
const FIELD_DEPTH = 3;

export function registerAuditLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    const audit = routeConfig(request).audit;
    if (audit && reply.statusCode < 300) request.log.info(auditFields(request, audit), audit.event);
    done();
  });
}

function auditFields(request: FastifyRequest, audit: AuditEntry): Record<string, unknown> {
  const body = isObject(request.body) ? request.body : {};
  const fields: Record<string, unknown> = {
    by: request.principal?.kind === 'user' ? request.principal.username : 'apikey',
    address: request.ip,
    ...(isObject(request.params) ? request.params : {}),
  };
  for (const name of audit.values ?? []) if (body[name] !== undefined) fields[name] = body[name];
  if (audit.fields) fields.fields = fieldNames(body, '', FIELD_DEPTH);
  return fields;
}

/** `{"webhooks": {"url": …, "secret": …}}` → `["webhooks.url", "webhooks.secret"]`. */
function fieldNames(value: Record<string, unknown>, prefix: string, depth: number): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    depth > 1 && isObject(inner) && Object.keys(inner).length > 0
      ? fieldNames(inner, `${prefix}${key}.`, depth - 1)
      : [`${prefix}${key}`],
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
