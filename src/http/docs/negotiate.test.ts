import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prefersHtml } from './negotiate.js';

describe('prefersHtml', () => {
  it('is true for what browsers send', () => {
    // Chromium and Firefox navigations.
    assert.equal(
      prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'),
      true,
    );
    assert.equal(prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'), true);
    assert.equal(prefersHtml('text/*'), true);
  });

  it('is false for balancers, curl and API clients', () => {
    assert.equal(prefersHtml(undefined), false);
    assert.equal(prefersHtml(''), false);
    assert.equal(prefersHtml('*/*'), false);
    assert.equal(prefersHtml('application/json'), false);
    assert.equal(prefersHtml('application/json, text/plain, */*'), false);
  });

  it('weighs quality values, and a tie keeps JSON', () => {
    assert.equal(prefersHtml('text/html;q=0.5, application/json'), false);
    assert.equal(prefersHtml('text/html, application/json;q=0.9'), true);
    assert.equal(prefersHtml('text/html, application/json'), false);
    assert.equal(prefersHtml('text/html;q=0'), false);
  });

  it('ignores malformed ranges', () => {
    assert.equal(prefersHtml('html, text/html;q=abc'), false);
    assert.equal(prefersHtml('garbage;;;, text/html'), true);
  });
});
