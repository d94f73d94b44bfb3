// How times, ages and phone numbers read in the console.

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "14:05" from the API's Unix seconds (a string, as On-Prem wrote them). */
export const clockTime = (/** @type {string | number | null | undefined} */ seconds) =>
  seconds === null || seconds === undefined ? '' : time.format(new Date(Number(seconds) * 1000));

/** "5 Jan 2026" from Unix seconds. */
export const dayOf = (/** @type {string | number} */ seconds) => day.format(new Date(Number(seconds) * 1000));

/** A full date and time from milliseconds since the epoch (the delivery log's times). */
export const when = (/** @type {number | null | undefined} */ ms) =>
  ms === null || ms === undefined ? '—' : dateTime.format(new Date(ms));

/** "45 s", "3 min", "2 h 5 min", "3 d" */
export function age(/** @type {number | null | undefined} */ seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d`;
}

/** A phone number as people read it: "+1 631 555 1234" for a NANP wa_id, "+<digits>" otherwise. */
export function phone(/** @type {string} */ waId) {
  const nanp = /^1(\d{3})(\d{3})(\d{4})$/.exec(waId);
  return nanp ? `+1 ${nanp[1]} ${nanp[2]} ${nanp[3]}` : `+${waId}`;
}
