// The JSON-schema machinery of the outbound-message validator: one Ajv instance, the builders the payload schemas
// are written with, and the translation of Ajv's first error into the ApiError the old API answered.
//
// Schemas carry their special codes as data: `x-errors` maps a keyword (or `keyword:property` for required and
// additionalProperties) to the error kind and details to answer instead of the generic 1008/1009/1010, e.g.
// `sections: { maxItems: 10, 'x-errors': { maxItems: { kind: 'invalidSectionCount', ... } } }`. `{path}` in the
// details is replaced by the field's JSON path. Everything else uses the wording of src/lib/schema-errors.ts.
//
// Ajv evaluates, per object: required, additionalProperties, properties (in schema order), then discriminator; so a
// missing field is named before an unknown one, and an unknown one before a nested fault. Combinators without a type
// (anyOf, not, if) would run before all of those at their level, which is why the schemas do without them (the one
// `not` is alone in its schema) and the family checks state the rules they would have carried (exactly one of
// id|link, ...).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ApiError, type ErrorKind } from '../../../errors.js';
import { addScalarStrings, SCALAR_STRINGS_KEYWORD, scalarTargets } from '../../../lib/scalar-strings.js';
import { describeSchemaError, join, jsonPath } from '../../../lib/schema-errors.js';

export type Schema = Record<string, unknown>;
interface ErrorOverride {
  kind?: ErrorKind;
  /** `{path}` stands for the field's JSON path. */
  details: string;
}
export type ErrorOverrides = Record<string, ErrorOverride>;

// allErrors false: the first fault is all the answer carries, and stopping there is what makes an invalid body
// cheap. verbose: errors point at their schema, which is where `x-errors` is read. No coercion, no defaults: the
// body is checked as sent, as on every schema-validated route (app.ts), except for numbers and booleans written as
// strings, which x-scalar-strings replaces as on every route (src/lib/scalar-strings.ts).
const ajv = new Ajv({
  allErrors: false,
  verbose: true,
  discriminator: true,
  allowUnionTypes: true,
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
  strict: true,
  // Only named() schemas are references, and each is meant to be its own function (see named).
  inlineRefs: false,
});
ajv.addKeyword({ keyword: 'x-errors', schemaType: 'object' });
addScalarStrings(ajv);

/** Compiled once, at module load; validating allocates nothing on a valid body. */
export function compile(schema: Schema): ValidateFunction {
  return ajv.compile(schema);
}

const registered = new Set<string>();

/**
 * `schema` as a reference to its own compiled function. Ajv otherwise inlines everything into one function per
 * validator; the template's came to 140 kB, too large for V8 to optimise, and took 7.3 µs to check the old API's
 * template example. Split at these boundaries (media objects, parameters, components, ...) it takes 1.2 µs. The first call with an
 * id registers it; later calls must pass the same schema.
 */
export function named(id: string, schema: Schema): Schema {
  // An absolute URI, so that a reference from inside another named schema does not resolve relative to it.
  const uri = `openprem:${id}`;
  if (!registered.has(uri)) {
    ajv.addSchema(schema, uri);
    registered.add(uri);
  }
  return { $ref: uri };
}

/** The ApiError for a failed validator: its first error, or a generic 1009 if Ajv gave none. */
export function schemaFailure(validate: ValidateFunction): ApiError {
  const first = validate.errors?.[0];
  return first ? toApiError(first) : new ApiError('invalidParameter', 'the request is not valid');
}

const DEFAULT_KINDS: Partial<Record<string, ErrorKind>> = {
  required: 'missingParameter',
  additionalProperties: 'unexpectedParameter',
};

function toApiError(error: ErrorObject): ApiError {
  const property = (error.params.missingProperty ?? error.params.additionalProperty) as string | undefined;
  const pointer = property === undefined ? error.instancePath : join(error.instancePath, property);
  const path = jsonPath(pointer) || 'the body';
  const overrides = (error.parentSchema as Schema | undefined)?.['x-errors'] as ErrorOverrides | undefined;
  const override =
    (property !== undefined ? overrides?.[`${error.keyword}:${property}`] : undefined) ?? overrides?.[error.keyword];
  if (override)
    return new ApiError(
      override.kind ?? DEFAULT_KINDS[error.keyword] ?? 'invalidParameter',
      override.details.replaceAll('{path}', path),
    );
  const expected = describeBound(error);
  if (expected) return new ApiError('invalidParameter', `${path} must ${expected}`);
  return describeSchemaError(error);
}

/** Ajv's own words for bounds ("must NOT have more than 20 characters") read badly; say both ends when known. */
function describeBound({ keyword, params, parentSchema }: ErrorObject): string | undefined {
  const schema = (parentSchema ?? {}) as Schema;
  switch (keyword) {
    case 'minLength':
    case 'maxLength': {
      const min = (schema.minLength as number | undefined) ?? 0;
      const max = schema.maxLength as number | undefined;
      if (max === undefined) return min === 1 ? 'not be empty' : `be at least ${min} characters long`;
      return min > 0 ? `be a string of ${min} to ${max} characters` : `be at most ${max} characters long`;
    }
    case 'minItems':
    case 'maxItems': {
      const min = (schema.minItems as number | undefined) ?? 0;
      const max = schema.maxItems as number | undefined;
      if (max === undefined) return `have at least ${min} ${min === 1 ? 'item' : 'items'}`;
      return min > 0 ? `have ${min} to ${max} items` : `have at most ${max} items`;
    }
    case 'minimum':
    case 'maximum': {
      const noun = schema.type === 'integer' ? 'an integer' : 'a number';
      if (schema.minimum !== undefined && schema.maximum !== undefined)
        return `be ${noun} from ${String(schema.minimum)} to ${String(schema.maximum)}`;
      return keyword === 'minimum' ? `be at least ${String(params.limit)}` : `be at most ${String(params.limit)}`;
    }
    case 'const':
      return `be ${JSON.stringify(params.allowedValue)}`;
    default:
      return undefined;
  }
}

// Builders. Every object is closed (additionalProperties: false): an unknown field is 1010 naming it.

export function string(min = 0, max?: number, extra: Schema = {}): Schema {
  const schema: Schema = { type: 'string', ...extra };
  if (min > 0) schema.minLength = min;
  if (max !== undefined) schema.maxLength = max;
  return schema;
}

/** A string with something in it: not empty, not only white space ("  " says nothing either). */
export function text(max?: number, extra: Schema = {}): Schema {
  const overrides = {
    pattern: { details: '{path} must not be empty or blank' },
    ...(extra['x-errors'] as ErrorOverrides | undefined),
  };
  return string(0, max, { pattern: '\\S', ...extra, 'x-errors': overrides });
}

export function object(
  properties: Record<string, Schema>,
  required: readonly string[] = [],
  extra: Schema = {},
): Schema {
  const schema: Schema = { type: 'object', additionalProperties: false, properties, ...extra };
  const scalars = scalarTargets(properties);
  if (scalars) schema[SCALAR_STRINGS_KEYWORD] = scalars;
  if (required.length > 0) schema.required = [...required];
  return schema;
}

export function arrayOf(items: Schema, min = 0, max?: number, extra: Schema = {}): Schema {
  const schema: Schema = { type: 'array', items, ...extra };
  if (min > 0) schema.minItems = min;
  if (max !== undefined) schema.maxItems = max;
  return schema;
}

export function oneOfStrings(values: readonly string[], extra: Schema = {}): Schema {
  return { type: 'string', enum: [...values], ...extra };
}

/**
 * An object whose `property` names which of `variants` it is (each a closed object schema, without `property`, which
 * is added): Ajv's discriminator, so the faults reported are those of the named variant only. `tagExtra` is merged
 * into the tag's own schema (e.g. `x-errors` for a tag that is not one of the variants).
 */
export function tagged(property: string, variants: Record<string, Schema>, tagExtra: Schema = {}): Schema {
  return {
    type: 'object',
    required: [property],
    properties: { [property]: oneOfStrings(Object.keys(variants), tagExtra) },
    discriminator: { propertyName: property },
    oneOf: Object.entries(variants).map(([tag, variant]) => ({
      ...variant,
      properties: { [property]: { const: tag }, ...(variant.properties as Schema) },
    })),
  };
}

/**
 * An integer from min to max, or the same as a string of digits (the old API took both for date parts and
 * button indexes). Ajv bounds numbers only, so the string form's range is the pattern: every value is listed for a
 * small range (leading zeros allowed: "02"), digits only for a large one.
 */
export function integerOrDigits(min: number, max: number, expected: string): Schema {
  const details = `{path} must be ${expected}, as a number or a string of digits`;
  const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const pattern = max - min <= 100 ? `^0*(?:${values.join('|')})$` : `^\\d{1,${String(max).length}}$`;
  return {
    type: ['integer', 'string'],
    pattern,
    minimum: min,
    maximum: max,
    'x-errors': { type: { details }, pattern: { details }, minimum: { details }, maximum: { details } },
  };
}
