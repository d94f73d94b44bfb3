// Shared by the /v1/certificates routes: their bodies and answers are PEM text, not JSON (docs/api/certificates.md).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../../errors.js';

/**
 * A route-level onRequest hook (it runs after authentication): a body must be `text/plain`, as the old API's documented
 * curl examples send it. Anything else is refused here with that hint, instead of the generic "send JSON" one.
 */
export async function requirePlainTextBody(request: FastifyRequest): Promise<void> {
  const { 'content-type': type, 'content-length': length, 'transfer-encoding': chunked } = request.headers;
  const hasBody = chunked !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return;
  if (type === undefined || !/^text\/plain\s*(;|$)/i.test(type)) {
    throw new ApiError(
      'invalidRequest',
      `send the PEM file with Content-Type: text/plain, not ${type ?? 'no Content-Type'}`,
    );
  }
}

/** A PEM document as the old API answered it: text/plain, the file as is. */
export function sendPem(reply: FastifyReply, pem: string): FastifyReply {
  return reply.type('text/plain; charset=utf-8').send(pem);
}
