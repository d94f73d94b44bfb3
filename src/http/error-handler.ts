// The one error handler: every failure leaves as the On-Prem envelope {"errors":[{code,title,details}],"meta"}.
// Expected failures are ApiErrors; framework errors are translated; anything else is answered 500 / 1000 without
// internals, its cause kept for the request's log line (hooks/request-log.ts), which has the request id.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { classifyDatabaseError } from '../lib/database-errors.js';
import { ApiError } from '../errors.js';
import { noteErrorAnswer } from './hooks/request-log.js';
import { isClientAbort } from './client-abort.js';
import { describeValidationError } from './validation-errors.js';

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error, request);
    // The cause goes to the log when the client is not told it: a database failure or an unexpected error.
    sendApiError(reply, apiError, error instanceof ApiError || apiError.status < 500 ? undefined : error);
  });

  app.setNotFoundHandler({}, (request, reply) => {
    sendApiError(reply, new ApiError('notFound', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`));
  });
}

function sendApiError(reply: FastifyReply, error: ApiError, cause?: unknown): FastifyReply {
  noteErrorAnswer(reply.request, error, cause);
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.max(1, error.retryAfterSeconds)));
  return reply
    .code(error.status)
    .type('application/json')
    .send({ errors: [error.toBody()] });
}

function toApiError(error: FastifyError, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  if (error.validation) return describeValidationError(error.validation, error.validationContext, request.body);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        'invalidRequest',
        `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted here; send application/json`,
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('bodyTooLarge', 'the request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('invalidRequest', error.message);
  }
  if (isClientAbort(error, request.raw)) {
    // Nobody is left to answer; the envelope below only completes the request's bookkeeping.
    request.log.info({ err: error }, 'the client closed the connection before its request was read');
    return new ApiError('invalidRequest', 'the request was not received in full');
  }
  const dbFailure = classifyDatabaseError(error);
  if (dbFailure === 'unavailable') {
    return new ApiError('databaseUnavailable', 'the database is unavailable; retry shortly', 1);
  }
  if (dbFailure === 'failed') {
    return new ApiError('databaseError', `a database error occurred (request ${request.id})`);
  }
  // Client errors raised by the HTTP layer itself (malformed headers and the like) keep their 4xx meaning.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError('invalidRequest', error.message);
  }
  return new ApiError('generic', `an internal error occurred (request ${request.id})`);
}

/**
 * Errors raised before routing, which Fastify would answer in its own shape: a URL that does not decode
 * (FST_ERR_BAD_URL) goes through `frameworkErrors`; a request the HTTP parser rejects (oversized headers, garbage)
 * through `clientErrorHandler`, which writes to the socket directly.
 */
export function createPreRoutingErrorHandlers(apiLevel: string) {
  const meta = { api_status: 'stable', version: apiLevel };
  return {
    frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
      // The framework's message quotes the whole URL, which may be kilobytes long: name the problem instead.
      const apiError = new ApiError(
        'invalidRequest',
        error.code === 'FST_ERR_BAD_URL'
          ? 'the URL is not validly encoded'
          : 'the URL is not valid here (a path segment is too long)',
      );
      void reply
        .code(apiError.status)
        .type('application/json')
        .send({ errors: [apiError.toBody()], meta });
    },
    clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
      if (!socket.writable || error.code === 'ECONNRESET') {
        socket.destroy();
        return;
      }
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const details =
        status === 431
          ? 'the request headers are too large'
          : status === 408
            ? 'the request took too long to arrive'
            : 'the request is not valid HTTP';
      const body = JSON.stringify({ errors: [new ApiError('invalidRequest', details).toBody()], meta });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  };
}
