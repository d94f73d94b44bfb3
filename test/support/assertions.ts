import assert from 'node:assert/strict';
import type { TestResponse } from './harness.js';

/** One error in the envelope, with this status and code (and `details` matching, when given). */
export function assertError(response: TestResponse, status: number, code: number, details?: RegExp | string): void {
  assert.equal(response.status, status, `${status} expected: ${response.text.slice(0, 500)}`);
  assert.equal(response.body?.errors?.length, 1, response.text.slice(0, 500));
  assert.equal(response.body.errors[0].code, code, response.text.slice(0, 500));
  assert.equal(typeof response.body.errors[0].title, 'string');
  assert.ok(response.body.meta, 'meta on every error');
  if (typeof details === 'string') assert.equal(response.body.errors[0].details, details);
  else if (details) assert.match(response.body.errors[0].details, details);
}
