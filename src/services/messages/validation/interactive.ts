// Interactive messages (docs/api/messages.md#interactive): reply buttons, lists, single product and multi-product
// messages. The limits are the Cloud API's, which Meta's documents believed identical for On-Prem, unconfirmed
// (docs/api/choices.md#messages). The old API's own codes: 2015 section count, 2016 row count, 2023 product count, 2036
// a header this kind of message cannot carry.
import { ApiError, type ErrorKind } from '../../../errors.js';
import { invalid, missing, type Findings, type JsonObject, type PayloadFamily } from './family.js';
import { checkMedia, mediaSchema } from './media.js';
import { arrayOf, named, object, oneOfStrings, string, tagged, text, type Schema } from './schema.js';

const BODY_MAX = 1024;
const FOOTER_MAX = 60;
const HEADER_TEXT_MAX = 60;
const BUTTONS_MAX = 3;
const BUTTON_ID_MAX = 256;
const BUTTON_TITLE_MAX = 20;
const LIST_BUTTON_MAX = 20;
const SECTIONS_MAX = 10;
const SECTION_TITLE_MAX = 24;
const ROWS_MAX = 10;
const ROW_ID_MAX = 200;
const ROW_TITLE_MAX = 24;
const ROW_DESCRIPTION_MAX = 72;
const PRODUCTS_MAX = 30;

type InteractiveType = 'button' | 'list' | 'product' | 'product_list';
type HeaderKind = 'text' | 'image' | 'video' | 'document';

function counted(schema: Schema, kind: ErrorKind, details: string): Schema {
  return { ...schema, 'x-errors': { minItems: { kind, details }, maxItems: { kind, details } } };
}

function header(of: InteractiveType, kinds: readonly HeaderKind[]): Schema {
  const variants: Record<string, Schema> = {};
  for (const kind of kinds) {
    variants[kind] =
      kind === 'text'
        ? object({ text: text(HEADER_TEXT_MAX) }, ['text'])
        : object({ [kind]: mediaSchema(kind) }, [kind]);
  }
  const allowed = kinds.map((kind) => JSON.stringify(kind)).join(', ');
  const details = `{path} must be ${kinds.length > 1 ? `one of ${allowed}` : allowed} in a ${of} message`;
  return named(
    `interactive/header/${of}`,
    tagged('type', variants, { 'x-errors': { enum: { kind: 'invalidHeaderStructure', details } } }),
  );
}

const noHeader: Schema = {
  not: {},
  'x-errors': {
    not: {
      kind: 'invalidHeaderStructure',
      details: '{path} is not accepted in a product message: only button, list and product_list messages take a header',
    },
  },
};
const body = object({ text: text(BODY_MAX) }, ['text']);
const footer = object({ text: text(FOOTER_MAX) }, ['text']);

const sections = (items: Schema) =>
  counted(arrayOf(items, 1, SECTIONS_MAX), 'invalidSectionCount', `{path} must have 1 to ${SECTIONS_MAX} sections`);

const replyButton = object(
  {
    type: oneOfStrings(['reply']),
    reply: object({ id: text(BUTTON_ID_MAX), title: text(BUTTON_TITLE_MAX) }, ['id', 'title']),
  },
  ['type', 'reply'],
);
const buttonAction = object({ buttons: arrayOf(replyButton, 1, BUTTONS_MAX) }, ['buttons']);

const row = object({ id: text(ROW_ID_MAX), title: text(ROW_TITLE_MAX), description: string(0, ROW_DESCRIPTION_MAX) }, [
  'id',
  'title',
]);
const rows = counted(arrayOf(row, 1, ROWS_MAX), 'invalidRowCount', `{path} must have 1 to ${ROWS_MAX} rows`);
const listAction = object(
  { button: text(LIST_BUTTON_MAX), sections: sections(object({ title: text(SECTION_TITLE_MAX), rows }, ['rows'])) },
  ['button', 'sections'],
);

const productAction = object({ catalog_id: text(), product_retailer_id: text() }, [
  'catalog_id',
  'product_retailer_id',
]);

const productItem = object({ product_retailer_id: text() }, ['product_retailer_id']);
const productItems = counted(
  arrayOf(productItem, 1, PRODUCTS_MAX),
  'invalidProductCount',
  `{path} must have 1 to ${PRODUCTS_MAX} products`,
);
const productListAction = object(
  {
    catalog_id: text(),
    sections: sections(object({ title: text(SECTION_TITLE_MAX), product_items: productItems }, ['product_items'])),
  },
  ['catalog_id', 'sections'],
);

// The variants. Each action is its own compiled function (named), keeping every function small enough for V8.
const VARIANTS: Record<InteractiveType, Schema> = {
  button: object(
    {
      header: header('button', ['text', 'image', 'video', 'document']),
      body,
      footer,
      action: named('interactive/action/button', buttonAction),
    },
    ['body', 'action'],
  ),
  list: object(
    { header: header('list', ['text']), body, footer, action: named('interactive/action/list', listAction) },
    ['body', 'action'],
  ),
  product: object({ header: noHeader, body, footer, action: productAction }, ['action']),
  product_list: object(
    {
      header: header('product_list', ['text']),
      body,
      footer,
      action: named('interactive/action/product_list', productListAction),
    },
    ['header', 'body', 'action'],
  ),
};

export const interactiveFamily: PayloadFamily = {
  schema: tagged('type', VARIANTS),
  check(payload, findings) {
    const interactive = payload as JsonObject;
    const action = interactive.action as JsonObject;
    if (interactive.header) checkHeader(interactive.header as JsonObject, findings);
    if (interactive.type === 'button') checkButtons(action.buttons as JsonObject[]);
    if (interactive.type === 'list') checkSections(action.sections as JsonObject[], 'rows');
    if (interactive.type === 'product_list') checkSections(action.sections as JsonObject[], 'product_items');
  },
};

function checkHeader(header: JsonObject, findings: Findings): void {
  const kind = header.type as HeaderKind;
  if (kind !== 'text') checkMedia(header[kind] as JsonObject, () => `interactive.header.${kind}`, findings);
}

/** Reply ids come back in the customer's answer: two alike could not be told apart. */
function checkButtons(buttons: JsonObject[]): void {
  const seen = new Map<string, number>();
  buttons.forEach((button, index) => {
    const id = (button.reply as JsonObject).id as string;
    const first = seen.get(id);
    if (first !== undefined)
      throw invalid(
        `interactive.action.buttons[${index}].reply.id`,
        `be unique: ${JSON.stringify(id)} is also buttons[${first}]`,
      );
    seen.set(id, index);
  });
}

/**
 * Rules across sections: titles once there are several (the customer picks from titled groups), the total count
 * (10 rows per list, 30 products per message), and unique row ids (they come back in the customer's answer).
 */
function checkSections(sections: JsonObject[], items: 'rows' | 'product_items'): void {
  const seen = new Map<string, string>();
  let total = 0;
  sections.forEach((section, s) => {
    const at = `interactive.action.sections[${s}]`;
    if (sections.length > 1 && section.title === undefined)
      throw missing(`${at}.title`, 'each section needs a title when there are several');
    const entries = section[items] as JsonObject[];
    total += entries.length;
    if (items === 'rows') {
      entries.forEach((entry, r) => {
        const id = entry.id as string;
        const first = seen.get(id);
        if (first !== undefined)
          throw invalid(`${at}.rows[${r}].id`, `be unique: ${JSON.stringify(id)} is also ${first}`);
        seen.set(id, `sections[${s}].rows[${r}]`);
      });
    }
  });
  if (items === 'rows' && total > ROWS_MAX) {
    throw new ApiError(
      'invalidRowCount',
      `interactive.action.sections have ${total} rows in all; a list has at most ${ROWS_MAX}`,
    );
  }
  if (items === 'product_items' && total > PRODUCTS_MAX) {
    throw new ApiError(
      'invalidProductCount',
      `interactive.action.sections have ${total} products in all; a message has at most ${PRODUCTS_MAX}`,
    );
  }
}
