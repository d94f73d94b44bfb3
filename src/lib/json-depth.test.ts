import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-depth.js';

const nested = (levels: number, open = '[', close = ']') => `${open.repeat(levels)}${close.repeat(levels)}`;

describe('jsonNestsDeeperThan', () => {
  it(`allows ${MAX_JSON_DEPTH} levels and refuses one more, as arrays and as objects`, () => {
    assert.equal(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH)), false);
    assert.equal(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH + 1)), true);
    assert.equal(jsonNestsDeeperThan(`${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}`), false);
    assert.equal(jsonNestsDeeperThan(`${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`), true);
    assert.equal(jsonNestsDeeperThan(nested(100_000)), true);
  });

  it('counts depth, not how many containers follow one another', () => {
    assert.equal(jsonNestsDeeperThan(`[${Array(10_000).fill('[{}]').join(',')}]`), false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '['.repeat(200), b: 'say \\"[[[[', c: ['x\\', '{{{{'] });
    assert.equal(jsonNestsDeeperThan(text, 2), false);
    assert.equal(
      jsonNestsDeeperThan(`["\\\\"${'['.repeat(3)}]]]]`, 3),
      true,
      'an escaped backslash does not escape the quote',
    );
    assert.equal(jsonNestsDeeperThan('["unterminated [[[[', 1), false);
  });
});
