// The check a template (or hsm) send is put through before the sandbox network accepts it: does the template
// exist in that language, may it be sent, and do the parameter counts match. Pure; the codes and the reasons for
// them are listed at the top of src/services/template-rules.ts. Failures are values: the caller reports them asynchronously, as
// a failed status, the way the real network did.
import type { ButtonType, TemplateCheck, TemplateSend, TemplateShape } from '../../services/template-rules.js';

/** Every translation of one (namespace, name), and whether the namespace has any template at all. */
export interface TemplateTranslations {
  byLanguage: ReadonlyMap<string, TemplateShape>;
  namespaceKnown: boolean;
}

type Failure = Extract<TemplateCheck, { ok: false }>;

const STATUS_FAILURES = { rejected: 2060, paused: 2061, disabled: 2062 } as const;
/** The button sub_type a send names for each button type; PHONE_NUMBER buttons take no parameters. */
const SUB_TYPES: Record<ButtonType, string | null> = { QUICK_REPLY: 'quick_reply', URL: 'url', PHONE_NUMBER: null };
const KNOWN_SUB_TYPES = new Set(['quick_reply', 'url']);

const failure = (code: Failure['code'], details: string): Failure => ({ ok: false, code, details });
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function checkTemplateSend(found: TemplateTranslations, send: TemplateSend): TemplateCheck {
  const label = `template ${send.name} in namespace ${send.namespace}`;
  if (found.byLanguage.size === 0) {
    return failure(2001, found.namespaceKnown ? `no ${label}` : `no ${label}: the namespace has no templates`);
  }
  const template = found.byLanguage.get(send.languageCode);
  if (!template) {
    const languages = [...found.byLanguage.keys()].sort().join(', ');
    return failure(2001, `${label} has no translation for language ${send.languageCode}; it exists in ${languages}`);
  }
  if (template.unreadable)
    return failure(2002, `${label} (${send.languageCode}) is stored in a form that cannot be read`);
  if (template.status !== 'approved') {
    return failure(STATUS_FAILURES[template.status], `${label} (${send.languageCode}) is ${template.status}`);
  }
  const problem =
    headerProblem(template, send.parameters.header) ??
    bodyProblem(template, send.parameters.body) ??
    buttonsProblem(template, send.parameters.buttons);
  return (
    problem ?? { ok: true, category: template.category.toLowerCase() as 'marketing' | 'utility' | 'authentication' }
  );
}

function headerProblem({ header }: TemplateShape, given: number): Failure | null {
  if (!header)
    return given === 0 ? null : failure(2000, `header: the template has no header, got ${plural(given, 'parameter')}`);
  if (header.format !== 'TEXT') {
    const media = header.format.toLowerCase();
    if (given === 0) return failure(2009, `header: the ${header.format} header needs one ${media} parameter`);
    return given === 1
      ? null
      : failure(2000, `header: the ${header.format} header takes one ${media} parameter, got ${given}`);
  }
  return given === header.params
    ? null
    : failure(2000, `header: expected ${plural(header.params, 'parameter')}, got ${given}`);
}

function bodyProblem({ bodyParams }: TemplateShape, given: number): Failure | null {
  return given === bodyParams ? null : failure(2000, `body: expected ${plural(bodyParams, 'parameter')}, got ${given}`);
}

function buttonsProblem({ buttons }: TemplateShape, given: TemplateSend['parameters']['buttons']): Failure | null {
  const seen = new Set<number>();
  for (const { index, subType, count } of given) {
    const where = `button index ${index}`;
    const subTypeName = subType.toLowerCase();
    if (!KNOWN_SUB_TYPES.has(subTypeName)) {
      return failure(
        2013,
        `${where}: sub_type ${subType} is not supported; sandbox templates have quick_reply and url buttons`,
      );
    }
    if (seen.has(index)) return failure(2000, `${where} is given more than once`);
    seen.add(index);
    const button = buttons[index];
    if (!button) return failure(2000, `${where}: the template has ${plural(buttons.length, 'button')}`);
    const expected = SUB_TYPES[button.type];
    if (expected !== subTypeName) {
      return failure(
        2012,
        `${where} is a ${button.type} button${expected ? `; its sub_type is ${expected}` : ', which takes no parameters'}, not ${subType}`,
      );
    }
    // A quick reply's payload is optional; a URL button takes exactly as many parameters as its URL has {{1}}.
    const allowed = button.type === 'QUICK_REPLY' ? count <= 1 : count === button.params;
    if (!allowed) {
      const wanted =
        button.type === 'QUICK_REPLY' ? 'at most 1 parameter (its payload)' : plural(button.params, 'parameter');
      return failure(2000, `${where}: the ${button.type} button takes ${wanted}, got ${count}`);
    }
  }
  const missing = buttons.findIndex((button, index) => button.params > 0 && !seen.has(index));
  if (missing >= 0)
    return failure(2000, `button index ${missing}: the URL button needs 1 parameter (its URL suffix), got none`);
  return null;
}
