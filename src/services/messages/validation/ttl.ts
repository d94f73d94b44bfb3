// `ttl` of a template or hsm send (docs/api/messages.md#time-to-live): how long delivery may be tried before the
// message expires (410). An ISO-8601 duration ("P4D", "PT1H", "P1DT12H") or seconds, as an integer or a string of
// digits.
import { ApiError } from '../../../errors.js';

/**
 * 30 days, the longest TTL WhatsApp has ever allowed (Cloud API marketing templates; On-Prem's documented
 * maximum as BSPs quote it). BSPs also quote a one-day minimum for On-Prem; it is not enforced, so that the
 * sandbox can show expiry in minutes.
 */
const TTL_MAX_SECONDS = 30 * 86_400;
export const TTL_EXPECTED = `be a number of seconds from 1 to ${TTL_MAX_SECONDS} (30 days), as an integer or a string, or an ISO-8601 duration such as "P4D" or "PT1H"`;

// Whole numbers only; a year is 365 days and a month 30, as a duration without a start date has to count them.
const DURATION =
  /^P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const UNIT_SECONDS = [365 * 86_400, 30 * 86_400, 7 * 86_400, 86_400, 3_600, 60, 1] as const;
const SECONDS = /^\d{1,10}$/;

/** The TTL in seconds; 1009 for anything else, or for 0 or more than 30 days. */
export function readTtl(value: unknown): number {
  const seconds = toSeconds(value);
  if (seconds === undefined || seconds < 1 || seconds > TTL_MAX_SECONDS)
    throw new ApiError('invalidParameter', `ttl must ${TTL_EXPECTED}`);
  return seconds;
}

function toSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (SECONDS.test(value)) return Number(value);
  const parts = DURATION.exec(value);
  if (!parts) return undefined;
  let total = 0;
  for (let unit = 0; unit < UNIT_SECONDS.length; unit++) total += Number(parts[unit + 1] ?? 0) * UNIT_SECONDS[unit]!;
  return total;
}
