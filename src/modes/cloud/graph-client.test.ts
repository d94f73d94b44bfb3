// Meta's answers → On-Prem errors, for the shapes the fake Graph server does not produce: bodies that are not
// Meta's envelope (a proxy's HTML page, an empty 502) and the subcode/details fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translateFailure } from './graph-client.js';

describe('translateFailure', () => {
  it("reads Meta's envelope: code, message, details and fbtrace_id", () => {
    const body = JSON.stringify({
      error: {
        message: '(#131009) Parameter value is not valid',
        type: 'OAuthException',
        code: 131009,
        error_data: { details: 'bad to' },
        fbtrace_id: 'AbC',
      },
    });
    const error = translateFailure(400, body);
    assert.equal(error.status, 400);
    assert.equal(error.code, 1009);
    assert.equal(error.cloudCode, 131009);
    assert.equal(
      error.details,
      'Cloud API error 131009: (#131009) Parameter value is not valid: bad to, fbtrace_id AbC',
    );
  });

  it('answers 503 / 1011 with Retry-After for a body that is not the envelope', () => {
    for (const body of ['<html>Bad Gateway</html>', '', '{"unexpected":true}']) {
      const error = translateFailure(502, body);
      assert.equal(error.status, 503);
      assert.equal(error.code, 1011);
      assert.equal(error.cloudCode, null);
      assert.equal(error.retryAfterSeconds, 5);
    }
  });

  it("keeps Meta's words about our token out of the answer", () => {
    const error = translateFailure(
      401,
      JSON.stringify({ error: { message: 'Error validating access token: EAAsecret...', code: 190, fbtrace_id: 'X' } }),
    );
    assert.equal(error.status, 503);
    assert.equal(error.code, 1005);
    assert.ok(!error.details?.includes('EAAsecret'));
    assert.match(error.details ?? '', /WA_CLOUD_ACCESS_TOKEN.*fbtrace_id X|fbtrace_id X.*WA_CLOUD_ACCESS_TOKEN/);
  });

  it('throttling answers 429 / 1015 with Retry-After 1', () => {
    const error = translateFailure(
      400,
      JSON.stringify({ error: { message: '(#130429) Rate limit hit', code: 130429 } }),
    );
    assert.equal(error.status, 429);
    assert.equal(error.code, 1015);
    assert.equal(error.retryAfterSeconds, 1);
  });
});
