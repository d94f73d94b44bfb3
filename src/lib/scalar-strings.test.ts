// The one rule for numbers and booleans written as strings: exactly a JSON number, exactly "true" or "false".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readScalarString, SCALAR_STRINGS_KEYWORD, withScalarStrings } from './scalar-strings.js';

describe('readScalarString', () => {
  const read: [string, 'number' | 'integer' | 'boolean', unknown][] = [
    ['37.48', 'number', 37.48],
    ['-122.14', 'number', -122.14],
    ['0', 'number', 0],
    ['1e3', 'number', 1000],
    ['4', 'integer', 4],
    ['4.5', 'integer', 4.5],
    ['true', 'boolean', true],
    ['false', 'boolean', false],
  ];
  for (const [text, type, value] of read)
    it(`reads ${JSON.stringify(text)} as the ${type} ${String(value)}`, () =>
      assert.equal(readScalarString(text, type), value));

  const kept: [string, 'number' | 'integer' | 'boolean'][] = [
    ['', 'number'],
    [' 4', 'integer'],
    ['4 ', 'integer'],
    ['+4', 'integer'],
    ['04', 'integer'],
    ['0x10', 'integer'],
    ['1,5', 'number'],
    ['NaN', 'number'],
    ['Infinity', 'number'],
    ['1e999', 'number'],
    ['.5', 'number'],
    ['5.', 'number'],
    ['True', 'boolean'],
    ['FALSE', 'boolean'],
    ['1', 'boolean'],
    ['0', 'boolean'],
    ['yes', 'boolean'],
    ['', 'boolean'],
  ];
  for (const [text, type] of kept)
    it(`keeps ${JSON.stringify(text)} a string for a ${type} (the type check then refuses it)`, () =>
      assert.equal(readScalarString(text, type), text));
});

describe('withScalarStrings', () => {
  it('marks every object with number, integer or boolean fields, at any depth, and leaves string unions alone', () => {
    const schema = {
      type: 'object',
      properties: {
        flag: { type: 'boolean' },
        count: { type: ['integer', 'null'] },
        either: { type: ['integer', 'string'] },
        list: {
          type: 'array',
          items: { type: 'object', properties: { n: { type: 'number' }, s: { type: 'string' } } },
        },
        mode: { type: 'string', enum: ['a', 'b'] },
      },
    };
    const marked = withScalarStrings(schema) as any;
    assert.deepEqual(marked[SCALAR_STRINGS_KEYWORD], { flag: 'boolean', count: 'integer' });
    assert.deepEqual(marked.properties.list.items[SCALAR_STRINGS_KEYWORD], { n: 'number' });
    assert.equal(marked.properties.mode[SCALAR_STRINGS_KEYWORD], undefined);
    assert.equal((schema as any)[SCALAR_STRINGS_KEYWORD], undefined, 'the original schema is not changed');
  });
});
