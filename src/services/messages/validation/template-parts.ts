// What template (docs/api/messages.md#templates) and legacy hsm (docs/api/messages.md#legacy-hsm) sends share: the
// namespace (2014 when missing or empty), the language, currency codes and date parts.
import { has, invalid, type JsonObject } from './family.js';
import { integerOrDigits, object, oneOfStrings, string, text, type ErrorOverrides, type Schema } from './schema.js';

/** Meta's limit on a template name (Cloud API; the old API's documentation gives none). */
export const TEMPLATE_NAME_MAX = 512;

const NAMESPACE_WHY = "a template is named by the namespace of the business's templates and its name";

export const namespace: Schema = text(undefined, {
  'x-errors': { pattern: { kind: 'templateNamespaceMissing', details: `{path} is empty: ${NAMESPACE_WHY}` } },
});

/** On the template (or hsm) object: a missing namespace is 2014, not 1008. */
export const namespaceRequired: ErrorOverrides = {
  'required:namespace': {
    kind: 'templateNamespaceMissing',
    details: `missing required parameter {path}: ${NAMESPACE_WHY}`,
  },
};

/**
 * `deterministic` is the default. `fallback` (the hsm era's "any translation will do") is still accepted for both
 * kinds so that old clients are not refused; the registry look-up is the same.
 */
const LANGUAGE_POLICIES = ['deterministic', 'fallback'] as const;
export type LanguagePolicy = (typeof LANGUAGE_POLICIES)[number];

export const language: Schema = object({ policy: oneOfStrings(LANGUAGE_POLICIES), code: text() }, ['code']);

export const currencyCode: Schema = string(0, undefined, {
  pattern: '^[A-Z]{3}$',
  'x-errors': {
    pattern: { details: '{path} must be a three-letter ISO 4217 currency code in capitals, such as "USD"' },
  },
});

/** A date_time parameter's date parts: numbers or strings of digits ("day_of_week": "5"), as the old API took. */
export const DATE_PARTS: Record<string, Schema> = {
  day_of_week: integerOrDigits(1, 7, 'a day of the week from 1 (Monday) to 7 (Sunday)'),
  day_of_month: integerOrDigits(1, 31, 'a day of the month from 1 to 31'),
  year: integerOrDigits(1, 9999, 'a year from 1 to 9999'),
  month: integerOrDigits(1, 12, 'a month from 1 to 12'),
  hour: integerOrDigits(0, 23, 'an hour from 0 to 23'),
  minute: integerOrDigits(0, 59, 'a minute from 0 to 59'),
  calendar: oneOfStrings(['GREGORIAN', 'SOLAR_HIJRI']),
};
const PART_NAMES = Object.keys(DATE_PARTS);

/** A date_time with a timestamp says when; date parts beside it would say it twice, perhaps differently. */
export function checkDateTime(dateTime: JsonObject, at: () => string): void {
  if (!has(dateTime, 'timestamp')) return;
  for (const part of PART_NAMES) {
    if (has(dateTime, part))
      throw invalid(at(), 'have either timestamp or date parts (day_of_month, month, year, ...), not both');
  }
}

export function languageOf(template: JsonObject): { languageCode: string; languagePolicy: LanguagePolicy } {
  const chosen = template.language as JsonObject;
  return {
    languageCode: chosen.code as string,
    languagePolicy: (chosen.policy as LanguagePolicy | undefined) ?? 'deterministic',
  };
}
