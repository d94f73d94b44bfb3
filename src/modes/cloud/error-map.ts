// Cloud API error codes → On-Prem codes (docs/api/cloud-bridge.md#errors). Two uses: a Graph call that failed while
// an On-Prem request waits (answered synchronously as an ApiError kind of the closed catalogue) and an error inside
// a Cloud webhook (statuses[].errors, messages[].errors), forwarded as an asynchronous On-Prem code. The original
// Cloud code and fbtrace_id always travel in `details`, so an operator can look the failure up at Meta.
import { ERROR_TITLES, type ErrorCode, type ErrorKind } from '../../errors.js';

interface Translation {
  /** How a synchronous answer reports it. */
  readonly kind: ErrorKind;
  /** How a webhook (statuses[].errors) reports it. */
  readonly async: ErrorCode;
}

const THROTTLED: Translation = { kind: 'tooManyRequests', async: 429 };
const PARAMETER_INVALID: Translation = { kind: 'invalidParameter', async: 1009 };
const ACCESS_DENIED: Translation = { kind: 'forbidden', async: 1005 };
const GENERIC: Translation = { kind: 'generic', async: 1000 };
const NOT_READY: Translation = { kind: 'serviceNotReady', async: 1011 };
const TEMPLATE_MISSING: Translation = { kind: 'templateMissing', async: 2001 };

/** Cloud codes retried inside the gateway before 429 / 1015 is answered (docs/api/cloud-bridge.md#send-a-message). */
export const THROTTLING_CODES: ReadonlySet<number> = new Set([130429, 131056, 4, 80007]);

/**
 * Our own Cloud credentials were refused: an operator problem, never the integration's (codes 0 and 190 in
 * docs/api/cloud-bridge.md#errors).
 */
export const CREDENTIAL_CODES: ReadonlySet<number> = new Set([0, 190]);

const TABLE: ReadonlyMap<number, Translation> = new Map<number, Translation>([
  [130429, THROTTLED],
  [131056, THROTTLED],
  [4, THROTTLED],
  [80007, THROTTLED],
  [131048, { kind: 'tooManyRequests', async: 471 }],
  [130472, { kind: 'invalidRequest', async: 472 }],
  [131047, { kind: 'invalidRequest', async: 470 }],
  [131026, { kind: 'receiverIncapable', async: 1026 }],
  [131021, { kind: 'badUser', async: 1021 }],
  [131051, { kind: 'invalidRequest', async: 501 }],
  [131052, { kind: 'invalidRequest', async: 400 }],
  [131053, { kind: 'internal', async: 1014 }],
  [131042, { kind: 'invalidRequest', async: 402 }],
  [131045, { kind: 'invalidRequest', async: 430 }],
  [131000, GENERIC],
  [1, GENERIC],
  [2, GENERIC],
  [131005, ACCESS_DENIED],
  [10, ACCESS_DENIED],
  [0, { kind: 'gatewayCredentialsRefused', async: 1005 }],
  [190, { kind: 'gatewayCredentialsRefused', async: 1005 }],
  [131008, { kind: 'missingParameter', async: 1008 }],
  [131009, PARAMETER_INVALID],
  [100, PARAMETER_INVALID],
  [33, PARAMETER_INVALID],
  [131016, NOT_READY],
  [133004, { kind: 'overloaded', async: 1016 }],
  [133010, NOT_READY],
  [131057, NOT_READY],
  [131031, { kind: 'accountLocked', async: 1031 }],
  [368, ACCESS_DENIED],
  [132000, { kind: 'templateParamCountMismatch', async: 2000 }],
  [132001, TEMPLATE_MISSING],
  [132015, TEMPLATE_MISSING],
  [132016, TEMPLATE_MISSING],
  [132005, { kind: 'templateHydratedTextTooLong', async: 2005 }],
  [132007, { kind: 'templateFormatCharacterPolicy', async: 2007 }],
  [132012, { kind: 'templateParamFormatMismatch', async: 2012 }],
  [132018, { kind: 'templateParamFormatMismatch', async: 2012 }],
  [131049, { kind: 'receiverIncapable', async: 1026 }],
  [131050, { kind: 'receiverIncapable', async: 1026 }],
]);

/**
 * The translation of one Cloud code. Codes missing from the table follow Meta's renumbering (131xxx was 1xxx,
 * 132xxx was 2xxx) when the On-Prem code exists; 200–299 are permission errors. Other 13xxxx codes are Meta
 * refusing this request (131030: recipient not in the test number's allowed list, ...): 400 / 1025, not a 500 an
 * integration would retry. Anything else is generic.
 */
export function translateCloudCode(cloudCode: number): Translation {
  const listed = TABLE.get(cloudCode);
  if (listed) return listed;
  if (cloudCode >= 200 && cloudCode <= 299) return ACCESS_DENIED;
  const messaging = cloudCode >= 130_000 && cloudCode < 140_000;
  const onPrem = cloudCode >= 131_000 && cloudCode < 133_000 ? cloudCode - 130_000 : null;
  if (onPrem !== null && onPrem in ERROR_TITLES) return { kind: 'invalidRequest', async: onPrem as ErrorCode };
  if (cloudCode >= 132_000 && cloudCode < 133_000) return { kind: 'invalidRequest', async: 2000 };
  return messaging ? { kind: 'invalidRequest', async: 1000 } : GENERIC;
}

export interface CloudErrorFacts {
  readonly code: number;
  readonly message?: string | undefined;
  readonly details?: string | undefined;
  readonly fbtraceId?: string | undefined;
}

/** The `details` text of a translated error: what Meta said, and how to find it at Meta. */
export function describeCloudError(error: CloudErrorFacts): string {
  const said = [error.message, error.details].filter((part) => part !== undefined && part !== '').join(': ');
  const trace = error.fbtraceId ? `, fbtrace_id ${error.fbtraceId}` : '';
  return `Cloud API error ${error.code}${said ? `: ${said}` : ''}${trace}`;
}
