// Legacy `hsm` sends (docs/api/messages.md#legacy-hsm; deprecated in v2.39): element_name and localizable_params
// instead of name and components. Every localizable parameter fills a body variable, so they all count as body
// parameters.
import { has, invalid, missing, type JsonObject, type PayloadFamily } from './family.js';
import { arrayOf, named, object, text } from './schema.js';
import {
  currencyCode,
  DATE_PARTS,
  language,
  languageOf,
  namespace,
  namespaceRequired,
  TEMPLATE_NAME_MAX,
} from './template-parts.js';

const currency = object({ currency_code: currencyCode, amount_1000: { type: 'integer' } }, [
  'currency_code',
  'amount_1000',
]);
/** Exactly one of the two (checked below: a schema would say it before naming an unknown field). */
const dateTime = object({
  component: object(DATE_PARTS),
  unix_epoch: object({ timestamp: { type: 'integer' } }, ['timestamp']),
});
const localizableParam = named(
  'hsm/localizable-param',
  object({ default: text(), currency, date_time: dateTime }, ['default']),
);

export const hsmFamily: PayloadFamily = {
  schema: object(
    { namespace, element_name: text(TEMPLATE_NAME_MAX), language, localizable_params: arrayOf(localizableParam) },
    ['namespace', 'element_name', 'language'],
    { 'x-errors': namespaceRequired },
  ),
  check(payload, findings) {
    const hsm = payload as JsonObject;
    const params = (hsm.localizable_params ?? []) as JsonObject[];
    for (let p = 0; p < params.length; p++) checkLocalizableParam(params[p]!, p);
    findings.template = {
      namespace: hsm.namespace as string,
      name: hsm.element_name as string,
      ...languageOf(hsm),
      parameters: { header: 0, body: params.length, buttons: [] },
    };
  },
};

/** A parameter is plain text (`default`), or a currency, or a date: not both of the last two. */
function checkLocalizableParam(param: JsonObject, p: number): void {
  const path = () => `hsm.localizable_params[${p}]`;
  if (has(param, 'currency') && has(param, 'date_time'))
    throw invalid(path(), 'have either currency or date_time, not both');
  if (!has(param, 'date_time')) return;
  const dateTime = param.date_time as JsonObject;
  if (has(dateTime, 'component') === has(dateTime, 'unix_epoch')) {
    const at = `${path()}.date_time`;
    if (has(dateTime, 'component')) throw invalid(at, 'have either component or unix_epoch, not both');
    throw missing(`${at}.component or ${at}.unix_epoch`);
  }
}
