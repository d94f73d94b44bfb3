// Template messages (docs/api/messages.md#templates). The checks here are structural; whether the parameters fit the
// template (count 2000, length 2004, format 2012, ...) is for the template registry, which gets the counts in
// `findings.template`.
import { invalid, type Findings, type JsonObject, type PayloadFamily, type TemplateSummary } from './family.js';
import { checkMedia, mediaSchema } from './media.js';
import { arrayOf, integerOrDigits, named, object, tagged, text, type Schema } from './schema.js';
import { normaliseTemplateShapes } from './template-shapes.js';
import {
  checkDateTime,
  currencyCode,
  DATE_PARTS,
  language,
  languageOf,
  namespace,
  namespaceRequired,
  TEMPLATE_NAME_MAX,
} from './template-parts.js';

/** Buttons are numbered 0-9 (a template has at most 10), as a number or a string. */
const BUTTON_INDEX_MAX = 9;

type ParameterType = 'text' | 'currency' | 'date_time' | 'image' | 'document' | 'video' | 'payload';

const currency = object({ fallback_value: text(), code: currencyCode, amount_1000: { type: 'integer' } }, [
  'fallback_value',
  'code',
  'amount_1000',
]);
/** fallback_value always; then a timestamp, or date parts, or neither (the fallback is what WhatsApp shows). */
const dateTime = object({ fallback_value: text(), timestamp: { type: 'integer' }, ...DATE_PARTS }, ['fallback_value']);

const PARAMETERS: Record<ParameterType, Schema> = {
  text: object({ text: text() }, ['text']),
  currency: object({ currency: named('template/currency', currency) }, ['currency']),
  date_time: object({ date_time: named('template/date-time', dateTime) }, ['date_time']),
  image: object({ image: mediaSchema('image') }, ['image']),
  document: object({ document: mediaSchema('document') }, ['document']),
  video: object({ video: mediaSchema('video') }, ['video']),
  payload: object({ payload: text() }, ['payload']),
};

/** Which parameters each place takes: media only in the header, a payload only in a quick-reply button. */
function parameters(place: string, types: readonly ParameterType[], min = 0): Schema {
  return arrayOf(
    named(
      `template/parameter/${place}`,
      tagged('type', Object.fromEntries(types.map((type) => [type, PARAMETERS[type]]))),
    ),
    min,
  );
}

const index = integerOrDigits(0, BUTTON_INDEX_MAX, `a button index from 0 to ${BUTTON_INDEX_MAX}`);
/** quick_reply answers with a payload; url completes the button's URL with a text suffix. */
const button = tagged('sub_type', {
  quick_reply: object({ type: { const: 'button' }, index, parameters: parameters('quick_reply', ['payload'], 1) }, [
    'index',
    'parameters',
  ]),
  url: object({ type: { const: 'button' }, index, parameters: parameters('url', ['text'], 1) }, [
    'index',
    'parameters',
  ]),
});

const component = named(
  'template/component',
  tagged('type', {
    header: object(
      { parameters: parameters('header', ['text', 'currency', 'date_time', 'image', 'document', 'video']) },
      ['parameters'],
    ),
    body: object({ parameters: parameters('body', ['text', 'currency', 'date_time']) }, ['parameters']),
    button,
  }),
);

/** One header, one body, and one button per index: a template has at most 12 components (10 buttons). */
const COMPONENTS_MAX = 12;

export const templateFamily: PayloadFamily = {
  schema: object(
    { namespace, name: text(TEMPLATE_NAME_MAX), language, components: arrayOf(component, 0, COMPONENTS_MAX) },
    ['namespace', 'name', 'language'],
    { 'x-errors': namespaceRequired },
  ),
  normalise: normaliseTemplateShapes,
  check(payload, findings) {
    const template = payload as JsonObject;
    const counts: TemplateSummary['parameters'] = { header: 0, body: 0, buttons: [] };
    const components = (template.components ?? []) as JsonObject[];
    // Plain loops, and paths built only for an error: this runs on every template send.
    for (let c = 0; c < components.length; c++) {
      const component = components[c]!;
      for (let earlier = 0; earlier < c; earlier++) {
        if (samePlace(components[earlier]!, component)) {
          throw invalid(
            `template.components[${c}]`,
            `not repeat components[${earlier}]: a send has one header, one body and one button per index`,
          );
        }
      }
      const params = component.parameters as JsonObject[];
      for (let p = 0; p < params.length; p++) checkParameter(params[p]!, c, p, findings);
      if (component.type === 'header') counts.header = params.length;
      else if (component.type === 'body') counts.body = params.length;
      else
        counts.buttons.push({
          index: Number(component.index),
          subType: component.sub_type as string,
          count: params.length,
        });
    }
    findings.template = {
      namespace: template.namespace as string,
      name: template.name as string,
      ...languageOf(template),
      parameters: counts,
    };
  },
};

function samePlace(a: JsonObject, b: JsonObject): boolean {
  return a.type === b.type && (a.type !== 'button' || Number(a.index) === Number(b.index));
}

function checkParameter(parameter: JsonObject, c: number, p: number, findings: Findings): void {
  const type = parameter.type as ParameterType;
  const at = () => `template.components[${c}].parameters[${p}].${type}`;
  if (type === 'date_time') checkDateTime(parameter.date_time as JsonObject, at);
  else if (type === 'image' || type === 'document' || type === 'video')
    checkMedia(parameter[type] as JsonObject, at, findings);
}
