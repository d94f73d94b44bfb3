// What crossed the network, for openprem_messages_*: outbound statuses (by status and type, failures also by
// error code) and inbound messages (by type). Both gateways collect these counts inside the transaction that
// records the change and hand them to countMessages only once it has committed: a pass that rolls back is tried
// again and must not count twice, and a change written by another node is counted by that node alone.
//
// Every label is a closed set, so a node's series stay bounded whatever Meta or a client sends: status (6 values),
// type (the 12 outbound types and `unknown` for statuses of messages OpenPrem did not send; 15 inbound types),
// code (the error catalogue of src/errors.ts, 65 codes today). Anything outside a set is counted as `other`: at
// most 6 × 14 status series, 14 × 66 failure series (a handful in practice) and 16 inbound series per node.
import { ERROR_TITLES, type ErrorCode } from '../../errors.js';
import { INBOUND_TYPES } from './inbound-types.js';
import type { Metrics } from '../../metrics.js';
import { OUTBOUND_TYPES } from './outbound.js';

/** The statuses On-Prem reported for outbound messages; deleted and warning come from the cloud gateway only. */
const COUNTED_STATUSES = ['sent', 'delivered', 'read', 'failed', 'deleted', 'warning'] as const;
export type CountedStatus = (typeof COUNTED_STATUSES)[number];

/** A status reported for a message OpenPrem has no row of (sent before a migration, or by another tool). */
export const UNKNOWN_MESSAGE_TYPE = 'unknown';

const STATUS_TYPES: ReadonlySet<string> = new Set([...OUTBOUND_TYPES, UNKNOWN_MESSAGE_TYPE]);
// Cloud adds `order` (a catalogue order) to the types the sandbox's customers send.
const RECEIVED_TYPES: ReadonlySet<string> = new Set([...INBOUND_TYPES, 'order']);

export type MessageCount =
  | { direction: 'out'; status: CountedStatus; type: string; code?: ErrorCode | null }
  | { direction: 'in'; type: string };

const labelIn = (set: ReadonlySet<string>, value: string) => (set.has(value) ? value : 'other');
const codeLabel = (code: ErrorCode | null | undefined) =>
  code != null && code in ERROR_TITLES ? String(code) : 'other';

/** Counts changes that are now committed. */
export function countMessages(metrics: Metrics, counts: readonly MessageCount[]): void {
  for (const count of counts) {
    if (count.direction === 'in') {
      metrics.messagesReceived.inc({ type: labelIn(RECEIVED_TYPES, count.type) });
      continue;
    }
    const type = labelIn(STATUS_TYPES, count.type);
    metrics.messageStatuses.inc({ status: count.status, type });
    if (count.status === 'failed') metrics.messageFailures.inc({ type, code: codeLabel(count.code) });
  }
}
