// What a sandbox template is, the rules a template must keep to be stored, and the rules a send must keep to be
// delivered. Pure: no database, no clock. The sandbox's registry (src/modes/sandbox/templates.ts) stores and caches; this file decides.
//
// Which failure gets which code (Meta gave the codes' titles, not the cases; these are OpenPrem's choices,
// docs/api/messages.md#template-checks):
// - no template of that namespace and name, or none in that language → 2001 Template Missing (the meaning Meta
//   documented: "template not active or no translation for language/locale");
// - status rejected → 2060, paused → 2061, disabled → 2062 (2061 and 2062 replaced 2001 for these in May 2023);
// - a count of text parameters that is not the template's count → 2000 Param Count Mismatch: body, text header,
//   a URL button's suffix, and parameters for a component or button index the template does not have (the count
//   the template expects there is 0, so it is a count mismatch rather than 2013, which is kept for button kinds);
// - no parameter for a media header → 2009 Required Component Missing: without its media the message cannot be
//   rendered at all, unlike a text placeholder;
// - a button parameter whose sub_type is not the type of the button at that index → 2012 Parameter Format
//   Mismatch; a sub_type that no sandbox template button has (copy_code, flow, catalog…) → 2013 Buttons Unsupported.
// - a stored row whose components cannot be read (edited by hand) → 2002 Template Fetch Failed.
// Checks run in the order status, header, body, buttons, and the first failure is the answer.

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
/** `rejected` is kept beside the issue's three so that 2060 can be simulated too. */
export const TEMPLATE_STATUSES = ['approved', 'paused', 'disabled', 'rejected'] as const;
export const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
export const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'] as const;
/** WhatsApp Manager's limits on buttons of one template, per type. */
export const MAX_BUTTONS: Record<ButtonType, number> = { QUICK_REPLY: 3, URL: 2, PHONE_NUMBER: 1 };

export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
type HeaderFormat = (typeof HEADER_FORMATS)[number];
export type ButtonType = (typeof BUTTON_TYPES)[number];

interface TemplateButton {
  type: ButtonType;
  text: string;
  /** URL buttons: the link, optionally ending in `{{1}}`, the suffix the send supplies. */
  url?: string;
  /** PHONE_NUMBER buttons. */
  phone_number?: string;
}

export interface TemplateComponents {
  header?: { format: HeaderFormat; text?: string };
  body: { text: string };
  footer?: { text: string };
  buttons?: TemplateButton[];
}

/** The parameter counts of one send, as the API request gave them. */
export interface TemplateSend {
  namespace: string;
  name: string;
  languageCode: string;
  parameters: { header: number; body: number; buttons: { index: number; subType: string; count: number }[] };
}

export type TemplateCheck =
  | { ok: true; category: 'marketing' | 'utility' | 'authentication' }
  | { ok: false; code: 2000 | 2001 | 2002 | 2009 | 2012 | 2013 | 2060 | 2061 | 2062 | number; details: string };

/** What a send must match, worked out once per translation when it is read (the send check runs per message). */
export interface TemplateShape {
  language: string;
  category: TemplateCategory;
  status: TemplateStatus;
  header: { format: HeaderFormat; params: number } | null;
  bodyParams: number;
  buttons: { type: ButtonType; params: number }[];
  /** The stored components could not be read (a row edited by hand): every send fails with 2002. */
  unreadable?: true;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const ANY_PLACEHOLDER = /\{\{[^{}]*\}\}/;

/** The numbers of the `{{n}}` placeholders in order of appearance, or a problem with one of them. */
function placeholders(text: string): number[] | string {
  const numbers: number[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const inside = match[1] ?? '';
    if (!/^[1-9][0-9]{0,2}$/.test(inside))
      return `{{${inside}}} is not a placeholder; placeholders are {{1}}, {{2}}, …`;
    numbers.push(Number(inside));
  }
  return numbers;
}

/** How many parameters a text takes: its placeholders must be exactly {{1}}..{{n}} (each may appear again). */
function countParameters(text: string, where: string): number | string {
  const numbers = placeholders(text);
  if (typeof numbers === 'string') return `${where}: ${numbers}`;
  const distinct = [...new Set(numbers)].sort((a, b) => a - b);
  if (distinct.some((n, i) => n !== i + 1)) {
    return `${where}: placeholders must be numbered {{1}} to {{n}} without gaps; found ${distinct.map((n) => `{{${n}}}`).join(', ')}`;
  }
  return distinct.length;
}

/** The rules JSON schema cannot say; null when the components are acceptable. Problems are 1009. */
export function componentsProblem(components: TemplateComponents): string | null {
  const { header, body, footer, buttons = [] } = components;
  const bodyCount = countParameters(body.text, 'components.body.text');
  if (typeof bodyCount === 'string') return bodyCount;
  if (header) {
    if (header.format === 'TEXT') {
      const count = countParameters(header.text ?? '', 'components.header.text');
      if (typeof count === 'string') return count;
      if (count > 1) return 'components.header.text: a header takes at most one placeholder, {{1}}';
    } else if (header.text !== undefined) {
      return `components.header.text: only a TEXT header has text; a ${header.format} header takes its media from the send`;
    }
  }
  if (footer && ANY_PLACEHOLDER.test(footer.text)) return 'components.footer.text: a footer takes no placeholders';
  for (const type of BUTTON_TYPES) {
    const count = buttons.filter((button) => button.type === type).length;
    if (count > MAX_BUTTONS[type])
      return `components.buttons: at most ${MAX_BUTTONS[type]} ${type} button(s), got ${count}`;
  }
  for (const [index, button] of buttons.entries()) {
    const problem = buttonProblem(button, `components.buttons[${index}]`);
    if (problem) return problem;
  }
  return null;
}

function buttonProblem(button: TemplateButton, where: string): string | null {
  if (button.type !== 'URL' && button.url !== undefined) return `${where}.url: only a URL button has a url`;
  if (button.type !== 'PHONE_NUMBER' && button.phone_number !== undefined) {
    return `${where}.phone_number: only a PHONE_NUMBER button has a phone_number`;
  }
  if (ANY_PLACEHOLDER.test(button.text)) return `${where}.text: a button's text takes no placeholders`;
  if (button.url !== undefined) {
    const numbers = placeholders(button.url);
    if (typeof numbers === 'string') return `${where}.url: ${numbers}`;
    if (numbers.length > 1 || (numbers.length === 1 && !button.url.endsWith('{{1}}'))) {
      return `${where}.url: a URL takes one placeholder at most, {{1}}, at its very end (the suffix the send supplies)`;
    }
  }
  return null;
}

/** Parameter counts of stored components (which passed componentsProblem when written). */
export function shapeOf(
  language: string,
  category: TemplateCategory,
  status: TemplateStatus,
  components: TemplateComponents,
): TemplateShape {
  const count = (text: string) => {
    const numbers = placeholders(text);
    return typeof numbers === 'string' ? 0 : new Set(numbers).size;
  };
  return {
    language,
    category,
    status,
    header: components.header
      ? {
          format: components.header.format,
          params: components.header.format === 'TEXT' ? count(components.header.text ?? '') : 1,
        }
      : null,
    bodyParams: count(components.body.text),
    buttons: (components.buttons ?? []).map((button) => ({
      type: button.type,
      params: button.url ? count(button.url) : 0,
    })),
  };
}
