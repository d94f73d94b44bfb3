// Two requests Node's HTTP server would answer itself, bare and before Fastify sees them: HTTP/1.1 without a Host
// header (400, RFC 9112 section 3.2) and an Expect other than 100-continue (417, RFC 9110 section 10.1.1). The server
// is told to let them through (requireHostHeader: false in app.ts; a checkExpectation listener hands the request on),
// and this hook refuses them in the envelope, with a request id and in the metrics like any other answer. What the
// parser itself refuses (bad request line, oversized headers) is answered by clientErrorHandler (error-handler.ts).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';

export function registerProtocolChecks(app: FastifyInstance): void {
  // Node answers 417 itself only while nobody listens for checkExpectation; listening, it leaves the request to us.
  app.server.on('checkExpectation', (request, response) => app.server.emit('request', request, response));

  app.addHook('onRequest', (request, reply, done) => {
    // An empty Host is valid (a target without authority); a missing one is not in HTTP/1.1 (1.0 had no Host).
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      return done(new ApiError('invalidRequest', 'an HTTP/1.1 request needs a Host header'));
    }
    const expect = request.headers.expect;
    if (expect !== undefined && expect.trim().toLowerCase() !== '100-continue') {
      const refusal = new ApiError(
        'invalidRequest',
        `Expect: ${expect.slice(0, 100)} is not supported; only 100-continue is`,
      );
      // Answered here: done() is not called, so no later hook nor the handler runs.
      reply
        .code(417)
        .header('connection', 'close')
        .type('application/json')
        .send({ errors: [refusal.toBody()] });
      return;
    }
    done();
  });
}
