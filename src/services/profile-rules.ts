// The field rules of the profile endpoints (docs/api/profile.md). Pure: values in, a Result out.
import { fail, ok, type Result } from '../lib/result.js';
import { isWebUrl } from '../lib/web-url.js';

/** About text: 1 to 139 characters (docs/api/profile.md#about; Cloud's documentation adds that it cannot be empty). */
const ABOUT_MAX = 139;

// Limits of the business profile (docs/api/profile.md#change-the-business-profile). The description follows the newer
// documentation (512; the older said 256), since OpenPrem emulates the last On-Prem line.
const BUSINESS_LIMITS = { address: 256, description: 512, email: 128, website: 256, websites: 2 } as const;

/** The industries of the older documentation, as labels; the newer one's codes are accepted too (below). */
export const VERTICAL_LABELS = [
  'Automotive',
  'Beauty, Spa and Salon',
  'Clothing and Apparel',
  'Education',
  'Entertainment',
  'Event Planning and Service',
  'Finance and Banking',
  'Food and Grocery',
  'Public Service',
  'Hotel and Lodging',
  'Medical and Health',
  'Non-profit',
  'Professional Services',
  'Shopping and Retail',
  'Travel and Transportation',
  'Restaurant',
  'Other',
] as const;

/**
 * The later enum, in the same order as the labels (docs/api/profile.md#change-the-business-profile); the old API's
 * documentation left it unconfirmed for On-Prem.
 */
export const VERTICAL_CODES = [
  'AUTO',
  'BEAUTY',
  'APPAREL',
  'EDU',
  'ENTERTAIN',
  'EVENT_PLAN',
  'FINANCE',
  'GROCERY',
  'GOVT',
  'HOTEL',
  'HEALTH',
  'NONPROFIT',
  'PROF_SERVICES',
  'RETAIL',
  'TRAVEL',
  'RESTAURANT',
  'OTHER',
] as const;

export interface BusinessProfile {
  address: string;
  description: string;
  email: string;
  vertical: string;
  websites: string[];
}

export type BusinessProfilePatch = Partial<BusinessProfile>;

/** What GET answers before anything was set: every field present, empty. */
export const EMPTY_BUSINESS_PROFILE: BusinessProfile = Object.freeze({
  address: '',
  description: '',
  email: '',
  vertical: '',
  websites: [],
}) as BusinessProfile;

/** Characters as a person counts them: an emoji outside the BMP is one, not two UTF-16 units. */
function characters(text: string): number {
  return [...text].length;
}

export function checkAbout(text: string): Result<string> {
  if (text.trim() === '')
    return fail('invalidParameter', 'text must not be empty: the About text is 1 to 139 characters');
  const length = characters(text);
  if (length > ABOUT_MAX)
    return fail('invalidParameter', `text must be at most ${ABOUT_MAX} characters long, got ${length}`);
  return ok(text);
}

/** A partial update (since v2.23): fields absent from the patch stay; "" clears a text field, [] the websites. */
export function applyBusinessPatch(current: BusinessProfile, patch: BusinessProfilePatch): Result<BusinessProfile> {
  const next: BusinessProfile = { ...current, websites: [...current.websites] };
  for (const field of ['address', 'description', 'email'] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    const length = characters(value);
    if (length > BUSINESS_LIMITS[field])
      return fail(
        'invalidParameter',
        `${field} must be at most ${BUSINESS_LIMITS[field]} characters long, got ${length}`,
      );
    if (field === 'email' && value !== '' && !isEmail(value))
      return fail('invalidParameter', `email must be a valid e-mail address such as name@example.com`);
    next[field] = value;
  }
  if (patch.vertical !== undefined) {
    const vertical = checkVertical(current.vertical, patch.vertical);
    if (!vertical.ok) return vertical;
    next.vertical = vertical.value;
  }
  if (patch.websites !== undefined) {
    const websites = checkWebsites(patch.websites);
    if (!websites.ok) return websites;
    next.websites = websites.value;
  }
  return ok(next);
}

function checkVertical(current: string, value: string): Result<string> {
  // The newer documentation: once set, the industry cannot be reset to empty (only changed).
  if (value === '')
    return current === ''
      ? ok('')
      : fail('invalidParameter', 'vertical cannot be reset to empty once set; choose another industry');
  if ((VERTICAL_LABELS as readonly string[]).includes(value) || (VERTICAL_CODES as readonly string[]).includes(value))
    return ok(value);
  return fail(
    'invalidParameter',
    `vertical must be one of ${VERTICAL_LABELS.map((label) => JSON.stringify(label)).join(', ')} (or the code ${VERTICAL_CODES.join(', ')})`,
  );
}

function checkWebsites(websites: string[]): Result<string[]> {
  if (websites.length > BUSINESS_LIMITS.websites) {
    return fail(
      'invalidParameter',
      `websites may list at most ${BUSINESS_LIMITS.websites} URLs, got ${websites.length}`,
    );
  }
  for (const [index, website] of websites.entries()) {
    if (characters(website) > BUSINESS_LIMITS.website) {
      return fail('invalidParameter', `websites[${index}] must be at most ${BUSINESS_LIMITS.website} characters long`);
    }
    if (!isWebUrl(website))
      return fail('invalidParameter', `websites[${index}] must be a URL starting with http:// or https://`);
  }
  return ok([...websites]);
}

// Deliberately plain: one @, no spaces, a dot in the domain. Mail servers are the real judge; this catches typos.
const EMAIL = /^[^\s@]+@[^\s@.][^\s@]*\.[^\s@]+$/;

function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** The two-step verification PIN: exactly six digits, as a string (a number would lose leading zeros). */
export function checkPin(pin: string): Result<string> {
  return /^\d{6}$/.test(pin)
    ? ok(pin)
    : fail('invalidParameter', 'pin must be a string of exactly 6 digits, such as "123456"');
}
