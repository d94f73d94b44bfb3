import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../errors.js';
import { describeCloudError, translateCloudCode } from './error-map.js';

describe('translateCloudCode', () => {
  it('follows the mapping table for the codes it lists', () => {
    const cases: [number, string, number, number][] = [
      // cloud code, sync kind, its On-Prem code and HTTP status... and the webhook code
      [130429, 'tooManyRequests', 429, 429],
      [131056, 'tooManyRequests', 429, 429],
      [131047, 'invalidRequest', 400, 470],
      [131026, 'receiverIncapable', 400, 1026],
      [131021, 'badUser', 400, 1021],
      [131051, 'invalidRequest', 400, 501],
      [131008, 'missingParameter', 400, 1008],
      [100, 'invalidParameter', 400, 1009],
      [190, 'gatewayCredentialsRefused', 503, 1005],
      [133010, 'serviceNotReady', 503, 1011],
      [132001, 'templateMissing', 400, 2001],
      [132015, 'templateMissing', 400, 2001],
      [132018, 'templateParamFormatMismatch', 400, 2012],
    ];
    for (const [cloud, kind, status, asyncCode] of cases) {
      const translation = translateCloudCode(cloud);
      assert.equal(translation.kind, kind, `${cloud}`);
      assert.equal(new ApiError(translation.kind).status, status, `${cloud}`);
      assert.equal(translation.async, asyncCode, `${cloud}`);
    }
  });

  it("follows Meta's renumbering for unlisted codes whose On-Prem code exists, else falls back", () => {
    assert.equal(translateCloudCode(131001).async, 1001);
    assert.deepEqual(translateCloudCode(131030), { kind: 'invalidRequest', async: 1000 });
    assert.equal(translateCloudCode(132009).async, 2009);
    assert.equal(translateCloudCode(250).kind, 'forbidden');
    assert.deepEqual(translateCloudCode(999_999), { kind: 'generic', async: 1000 });
  });
});

describe('describeCloudError', () => {
  it('keeps the Cloud code, what Meta said and the trace id', () => {
    assert.equal(
      describeCloudError({
        code: 131047,
        message: 'Re-engagement message',
        details: 'More than 24 hours have passed',
        fbtraceId: 'A1b2',
      }),
      'Cloud API error 131047: Re-engagement message: More than 24 hours have passed, fbtrace_id A1b2',
    );
    assert.equal(describeCloudError({ code: 1 }), 'Cloud API error 1');
  });
});
