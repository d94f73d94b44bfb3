// Numbers and booleans sent as strings ("latitude": "37.48", "force_check": "false"), accepted wherever a JSON
// schema asks for a number, an integer or a boolean and does not also allow a string. Meta's collection and real
// clients (form encoders, loosely typed languages) send them; the old API took them, as OpenPrem already took
// "shards": "4" and "callback_backoff_delay_ms": "3000". One rule for the whole API, applied by one Ajv keyword:
//
//   - a number or integer field takes a string that is exactly a JSON number ("37.48", "-122", "1e3"); not "",
//     " 4", "4 ", "0x10", "1,5", "NaN": those stay strings and fail the field's type check (1009, naming it);
//   - a boolean field takes exactly "true" or "false" (not "1", "yes", "False");
//   - the value is replaced in the body before the field's own checks run, so ranges, integer-ness and enums apply
//     to the number, and what is stored and forwarded (to Cloud) is the canonical JSON type.
//
// The keyword sits on the object holding the fields (Ajv runs an untyped keyword before `properties`, so the
// replaced value is what the field's schema sees); withScalarStrings adds it to every object schema that needs it.
import type { Ajv } from 'ajv';

export const SCALAR_STRINGS_KEYWORD = 'x-scalar-strings';

type ScalarType = 'number' | 'integer' | 'boolean';
type Schema = Record<string, unknown>;

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The value a string stands for in a field of this type, or the string itself when it is not exactly one. */
export function readScalarString(value: string, type: ScalarType): unknown {
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  if (!JSON_NUMBER.test(value)) return value;
  const number = Number(value);
  return Number.isFinite(number) ? number : value;
}

/** Registers the keyword on an Ajv instance (the HTTP layer's and the message validator's). */
export function addScalarStrings(ajv: Ajv): Ajv {
  ajv.addKeyword({
    keyword: SCALAR_STRINGS_KEYWORD,
    modifying: true,
    schemaType: 'object',
    compile(targets: Record<string, ScalarType>) {
      const entries = Object.entries(targets);
      return (data: unknown) => {
        if (typeof data !== 'object' || data === null || Array.isArray(data)) return true;
        const object = data as Record<string, unknown>;
        for (const [property, type] of entries) {
          const value = object[property];
          if (typeof value === 'string' && Object.hasOwn(object, property))
            object[property] = readScalarString(value, type);
        }
        return true;
      };
    },
  });
  return ajv;
}

/** The properties of an object schema that take a scalar string: a number, integer or boolean type without string. */
export function scalarTargets(properties: Record<string, unknown>): Record<string, ScalarType> | null {
  const targets: Record<string, ScalarType> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const type = scalarTypeOf(schema);
    if (type) targets[name] = type;
  }
  return Object.keys(targets).length > 0 ? targets : null;
}

function scalarTypeOf(schema: unknown): ScalarType | null {
  if (typeof schema !== 'object' || schema === null) return null;
  const declared = (schema as Schema).type;
  const types = (Array.isArray(declared) ? declared : [declared]).filter((type) => type !== 'null');
  if (types.length !== 1) return null;
  const [type] = types;
  return type === 'number' || type === 'integer' || type === 'boolean' ? type : null;
}

/** A copy of a route's JSON schema with the keyword on every object schema that has scalar fields, at any depth. */
export function withScalarStrings(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withScalarStrings);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` is a map of names to schemas (not itself a schema); enum and const hold data, not schemas.
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, withScalarStrings(child)]));
    } else {
      copy[key] = key === 'enum' || key === 'const' || key === 'examples' ? value : withScalarStrings(value);
    }
  }
  const targets =
    typeof copy.properties === 'object' && copy.properties !== null ? scalarTargets(copy.properties as Schema) : null;
  if (targets && copy[SCALAR_STRINGS_KEYWORD] === undefined) copy[SCALAR_STRINGS_KEYWORD] = targets;
  return copy;
}
