// The form field an API error is about. Every validation error's details name the field as a JSON path: first
// ("components.body.text: placeholders must be numbered…", "name must match pattern …") or after "missing required
// parameter ". The longest of the form's field paths found there wins, so components.buttons[0].url beats
// components.buttons.
import { ApiError } from './api.js';

const LEADS = ['missing required parameter ', 'query parameter ', 'path parameter '];

/**
 * @param {unknown} error
 * @param {string[]} fields the form's field paths
 * @returns {string | null} the field, or null when the error names none of them
 */
function fieldOf(error, fields) {
  if (!(error instanceof ApiError) || ![1008, 1009, 1010].includes(/** @type {number} */ (error.code))) return null;
  let details = error.details;
  for (const lead of LEADS) if (details.startsWith(lead)) details = details.slice(lead.length);
  let best = null;
  for (const field of fields) {
    if (!details.startsWith(field)) continue;
    const next = details.charAt(field.length);
    if (next !== '' && next !== ' ' && next !== ':' && next !== ',') continue;
    if (!best || field.length > best.length) best = field;
  }
  return best;
}

/**
 * The errors to show: { [field]: message } for the field the error names, or { '': message } for the form as a
 * whole, in the API's own words.
 * @param {unknown} error @param {string[]} fields
 * @returns {Record<string, string>}
 */
export function fieldErrors(error, fields) {
  const message = error instanceof Error ? error.message : String(error);
  const field = fieldOf(error, fields);
  if (!field || !(error instanceof ApiError)) return { '': message };
  return { [field]: error.details };
}
