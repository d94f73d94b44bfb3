import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PEM_BLOCKS, readPemBlocks } from './pem.js';

const block = (label: string, body = 'QUJD', headers = '') =>
  `-----BEGIN ${label}-----\n${headers}${body}\n-----END ${label}-----\n`;

describe('readPemBlocks', () => {
  it('reads blocks in order, ignores text around them, and notices RFC 1421 headers', () => {
    const text = `comment\r\n${block('PRIVATE KEY')}junk\n${block('CERTIFICATE', 'QUJD\nREVG')}${block('RSA PRIVATE KEY', 'QUJD', 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n')}`;
    const blocks = readPemBlocks(text)!;
    assert.deepEqual(
      blocks.map((b) => [b.label, b.hasHeaders]),
      [
        ['PRIVATE KEY', false],
        ['CERTIFICATE', false],
        ['RSA PRIVATE KEY', true],
      ],
    );
    assert.ok(
      blocks[1]!.text.startsWith('-----BEGIN CERTIFICATE-----') &&
        blocks[1]!.text.endsWith('-----END CERTIFICATE-----'),
    );
  });

  it('finds nothing in text without blocks, and refuses bodies that are not base64 or too many blocks', () => {
    assert.deepEqual(readPemBlocks('hello'), []);
    assert.deepEqual(
      readPemBlocks('-----BEGIN CERTIFICATE-----\nQUJD\n-----END KEY-----'),
      [],
      'BEGIN and END must match',
    );
    assert.equal(readPemBlocks(block('CERTIFICATE', 'not base64!')), null);
    assert.equal(readPemBlocks(block('CERTIFICATE', '')), null);
    assert.equal(readPemBlocks(block('CERTIFICATE').repeat(MAX_PEM_BLOCKS))?.length, MAX_PEM_BLOCKS);
    assert.equal(readPemBlocks(block('CERTIFICATE').repeat(MAX_PEM_BLOCKS + 1)), null);
  });
});
