import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wantsPretty } from './logger.js';

describe('log format', () => {
  it('auto is pretty on a terminal only; json and pretty are what they say', () => {
    assert.equal(wantsPretty('auto', true), true);
    assert.equal(wantsPretty('auto', false), false, 'a pipe, a file or a test harness reading JSON');
    assert.equal(wantsPretty('json', true), false);
    assert.equal(wantsPretty('pretty', false), true);
  });
});
