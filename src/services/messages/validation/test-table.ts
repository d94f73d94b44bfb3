// The rows of the outbound-message validator's tests: a body that must be accepted (and what the result holds), or
// one that must be refused with this status, code and details.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isApiError } from '../../../errors.js';
import { validateOutboundMessage, type OutboundMessage } from '../outbound.js';

export const TO = '16315551234';

/** A body of `type` with its payload, plus envelope fields. */
export function message(type: string, payload: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { to: TO, type, [type]: payload, ...extra };
}

export interface Accepted {
  name: string;
  body: unknown;
  expect?: (message: OutboundMessage) => void;
}

export interface Rejected {
  name: string;
  body: unknown;
  code: number;
  details: RegExp;
  /** 400 unless said. */
  status?: number;
}

export function itAccepts(rows: readonly Accepted[]): void {
  for (const row of rows) {
    it(`accepts ${row.name}`, () => {
      const result = validateOutboundMessage(row.body);
      row.expect?.(result);
    });
  }
}

export function itRejects(rows: readonly Rejected[]): void {
  for (const row of rows) {
    it(`refuses ${row.name} (${row.code})`, () => {
      assert.throws(
        () => validateOutboundMessage(row.body),
        (error: unknown) => {
          assert.ok(isApiError(error), `an ApiError, not ${String(error)}`);
          assert.equal(error.code, row.code, error.details);
          assert.equal(error.status, row.status ?? 400);
          assert.match(error.details ?? '', row.details);
          return true;
        },
      );
    });
  }
}

/** `count` copies of what `make` builds from the index. */
export function times<T>(count: number, make: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => make(index));
}
