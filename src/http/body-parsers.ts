// Request bodies: JSON in UTF-8 (charset optional). An empty JSON body counts as no body, since On-Prem clients
// send `Content-Type: application/json` with nothing behind it on calls such as logout.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { jsonNestsDeeperThan, tooDeepDetails } from '../lib/json-depth.js';
import { containsEscapedNul, nulNotAccepted } from './hooks/nul-guard.js';

export function registerBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) {
      done(new ApiError('invalidRequest', `request bodies must be UTF-8 JSON, got charset ${charset}`), undefined);
      return;
    }
    const text = body as string;
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    if (containsEscapedNul(text)) {
      done(nulNotAccepted('the body'), undefined);
      return;
    }
    if (jsonNestsDeeperThan(text)) {
      done(new ApiError('invalidRequest', `the body is not accepted: ${tooDeepDetails}`), undefined);
      return;
    }
    parseJson(request, text, (error, value) => {
      if (error) done(new ApiError('invalidRequest', `the body is not valid JSON: ${error.message}`), undefined);
      else done(null, value);
    });
  });
}
