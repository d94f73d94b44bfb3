// A template message as the customer reads it: the template's text from the sandbox registry with the send's
// parameters in its {{n}} placeholders. Each template is fetched once per session.
import { TEMPLATE_STATUSES } from '../catalogue.js';
import { api, segment } from './api.js';

/** The statuses a template can have; a send of one not approved fails (2060 rejected, 2061 paused, 2062 disabled). */
export const STATUSES = /** @type {[string, string][]} */ (
  TEMPLATE_STATUSES.map((status) => [status, capitalised(status)])
);

/** "approved" → "Approved", "QUICK_REPLY" → "Quick reply" */
export function capitalised(/** @type {string} */ word) {
  const lower = word.toLowerCase().replace(/_/g, ' ');
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** The registry's address of one template translation. */
export const templatePath = (/** @type {{ namespace: string, name: string, language: string }} */ key) =>
  `/sandbox/templates/${segment(key.namespace)}/${segment(key.name)}/${segment(key.language)}`;

/** @type {Map<string, Promise<any>>} by namespace/name/language */
const cache = new Map();

/** GET /sandbox/templates/{namespace}/{name}/{language}, once; null when the registry has no such template. */
export function fetchTemplate(
  /** @type {string} */ namespace,
  /** @type {string} */ name,
  /** @type {string} */ language,
) {
  const key = `${namespace}/${name}/${language}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = api.get(templatePath({ namespace, name, language })).then(
      (answer) => answer.templates[0],
      () => null,
    );
    cache.set(key, pending);
  }
  return pending;
}

/** Forgets what was fetched: the templates view changed the registry. */
export function forgetTemplates() {
  cache.clear();
}

/** The words a parameter stands for: text, or a currency's or date's fallback_value. */
function parameterText(/** @type {any} */ parameter) {
  if (typeof parameter === 'string') return parameter;
  return (
    parameter?.text ??
    parameter?.default ??
    parameter?.currency?.fallback_value ??
    parameter?.date_time?.fallback_value ??
    `[${parameter?.type ?? 'parameter'}]`
  );
}

/** `text` with {{n}} replaced by the n-th of `values` (1-based); a missing value stays as {{n}}. */
export function fill(/** @type {string} */ text, /** @type {string[]} */ values) {
  return text.replace(/\{\{([1-9][0-9]{0,2})\}\}/g, (whole, n) => values[Number(n) - 1] ?? whole);
}

/**
 * What a template or hsm send carries: its key and the text of its header and body parameters.
 * @param {string} type 'template' or 'hsm' @param {any} content the message's template (or hsm) object
 */
export function sendOf(type, content) {
  if (type === 'hsm') {
    return {
      namespace: content.namespace,
      name: content.element_name,
      language: content.language?.code ?? '',
      header: [],
      body: (content.localizable_params ?? []).map(parameterText),
    };
  }
  const components = content.components ?? [];
  const parametersOf = (/** @type {string} */ kind) =>
    (components.find((/** @type {any} */ component) => component.type === kind)?.parameters ?? []).map(parameterText);
  return {
    namespace: content.namespace,
    name: content.name,
    language: content.language?.code ?? '',
    header: parametersOf('header'),
    body: parametersOf('body'),
  };
}
