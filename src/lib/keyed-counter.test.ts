import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedCounter } from './keyed-counter.js';

describe('KeyedCounter', () => {
  it('grants each key up to the bound, independently of the others', () => {
    const counter = new KeyedCounter(2);
    assert.equal(counter.tryTake('a'), true);
    assert.equal(counter.tryTake('a'), true);
    assert.equal(counter.tryTake('a'), false);
    assert.equal(counter.tryTake('b'), true);
    assert.equal(counter.held('a'), 2);
    assert.equal(counter.held('b'), 1);
  });

  it('frees a place on release and forgets a key that holds nothing', () => {
    const counter = new KeyedCounter(1);
    counter.tryTake('a');
    counter.tryTake('b');
    counter.release('a');
    assert.equal(counter.size(), 1);
    assert.equal(counter.tryTake('a'), true);
    counter.release('a');
    counter.release('b');
    counter.release('b');
    assert.equal(counter.size(), 0);
    assert.equal(counter.held('b'), 0);
  });
});
