// Creating or editing a sandbox template. The API's validation errors (the schema's and the registry's placeholder
// and button rules) are shown at the field they name, and the first such field takes the focus.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { fieldErrors } from '../lib/field-errors.js';
import { html } from '../lib/html.js';
import { href, navigate } from '../lib/router.js';
import { BUTTON_TYPES, HEADER_FORMATS, MAX_BUTTONS, TEMPLATE_CATEGORIES } from '../catalogue.js';
import { capitalised, forgetTemplates, STATUSES, templatePath } from '../lib/templates.js';
import { ErrorNotice, focusFirstInvalid, PageTitle, SelectField, StatusNotice, TextField } from './ui.js';

const options = (/** @type {string[]} */ values) =>
  /** @type {[string, string][]} */ (values.map((value) => [value, capitalised(value)]));
const CATEGORIES = options(TEMPLATE_CATEGORIES);
const HEADERS = /** @type {[string, string][]} */ ([['', 'No header'], ...options(HEADER_FORMATS)]);
const BUTTON_KINDS = options(BUTTON_TYPES);
/** The most buttons of all types together. */
const BUTTONS_MAX = Object.values(MAX_BUTTONS).reduce((sum, n) => sum + n, 0);

const EMPTY = {
  namespace: '',
  name: '',
  language: 'en_US',
  category: 'UTILITY',
  status: 'approved',
  headerFormat: '',
  headerText: '',
  body: '',
  footer: '',
  buttons: /** @type {any[]} */ ([]),
};

/** Every field path the API may name, for fieldErrors. */
function fieldPaths(/** @type {number} */ buttons) {
  const paths = [
    'namespace',
    'name',
    'language',
    'category',
    'status',
    'components.header.format',
    'components.header.text',
    'components.header',
    'components.body.text',
    'components.body',
    'components.footer.text',
    'components.buttons',
  ];
  for (let i = 0; i < buttons; i++)
    for (const part of ['', '.type', '.text', '.url', '.phone_number']) paths.push(`components.buttons[${i}]${part}`);
  return paths;
}

/** @param {{ templateKey?: { namespace: string, name: string, language: string } }} props  absent: a new template */
export default function TemplateForm({ templateKey }) {
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState(/** @type {Record<string, string>} */ ({}));
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const element = useRef(/** @type {HTMLFormElement | null} */ (null));
  const set = (/** @type {string} */ key) => (/** @type {string} */ value) =>
    setForm((current) => ({ ...current, [key]: value }));

  useEffect(() => {
    if (!templateKey) return;
    api.get(templatePath(templateKey)).then(
      (answer) => setForm(formOf(answer.templates[0])),
      (error) => setErrors({ '': error.message }),
    );
  }, [templateKey?.namespace, templateKey?.name, templateKey?.language]);

  async function save(/** @type {Event} */ event) {
    event.preventDefault();
    setBusy(true);
    setStatus('');
    try {
      const components = componentsOf(form);
      if (templateKey)
        await api.patch(templatePath(templateKey), { category: form.category, status: form.status, components });
      else {
        const created = await api.post('/sandbox/templates', {
          ...(form.namespace ? { namespace: form.namespace } : {}),
          name: form.name,
          language: form.language,
          category: form.category,
          status: form.status,
          components,
        });
        const { namespace, name, language } = created.templates[0];
        navigate(`templates/${[namespace, name, language].map(encodeURIComponent).join('/')}`, { replace: true });
      }
      forgetTemplates();
      setErrors({});
      setStatus('Saved.');
    } catch (error) {
      setErrors(fieldErrors(error, fieldPaths(form.buttons.length)));
      focusFirstInvalid(element.current);
    } finally {
      setBusy(false);
    }
  }

  const setButton = (/** @type {number} */ index, /** @type {string} */ key) => (/** @type {string} */ value) =>
    setForm((current) => ({
      ...current,
      buttons: current.buttons.map((b, i) => (i === index ? { ...b, [key]: value } : b)),
    }));
  const title = templateKey ? `Template ${templateKey.name} (${templateKey.language})` : 'New template';
  return html`<section class="page" aria-labelledby="template-title">
    <p><a href=${href('templates')}>← All templates</a></p>
    <${PageTitle}><span id="template-title">${title}</span><//>
    <div class="template-editor">
      <form ref=${element} onSubmit=${save} novalidate>
        <fieldset>
          <legend>Template</legend>
          <div class="grid-2">
            <${TextField} label="Name" value=${form.name} onInput=${set('name')} error=${errors.name} path="name" disabled=${Boolean(templateKey)}
              hint="Lower-case letters, digits and underscores." autocapitalize="none" spellcheck="false" />
            <${TextField} label="Language" value=${form.language} onInput=${set('language')} error=${errors.language} path="language"
              disabled=${Boolean(templateKey)} hint="en, en_US, pt_BR…" />
            <${SelectField} label="Category" value=${form.category} options=${CATEGORIES} onChange=${set('category')} error=${errors.category} path="category" />
            <${SelectField} label="Status" value=${form.status} options=${STATUSES} onChange=${set('status')} error=${errors.status} path="status" />
            <${TextField} label="Namespace" value=${form.namespace} onInput=${set('namespace')} error=${errors.namespace} path="namespace"
              disabled=${Boolean(templateKey)} hint=${templateKey ? '' : 'Empty: the sandbox namespace, openprem_sandbox.'} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Content</legend>
          <${SelectField} label="Header" value=${form.headerFormat} options=${HEADERS} onChange=${set('headerFormat')}
            error=${errors['components.header.format'] ?? errors['components.header']} path="components.header.format" />
          ${
            form.headerFormat === 'TEXT' &&
            html`<${TextField} label="Header text" value=${form.headerText} onInput=${set('headerText')}
            error=${errors['components.header.text']} path="components.header.text" hint="At most 60 characters and one placeholder, {{1}}." />`
          }
          <${TextField} label="Body" multiline rows="4" value=${form.body} onInput=${set('body')}
            error=${errors['components.body.text'] ?? errors['components.body']} path="components.body.text"
            hint="Placeholders {{1}}, {{2}}… in order, filled by each send. At most 1024 characters." />
          <${TextField} label="Footer (optional)" value=${form.footer} onInput=${set('footer')} error=${errors['components.footer.text']}
            path="components.footer.text" />
        </fieldset>
        <fieldset>
          <legend>Buttons</legend>
          ${errors['components.buttons'] && html`<p class="field-error" role="alert">${errors['components.buttons']}</p>`}
          ${form.buttons.map(
            (
              button,
              index,
            ) => html`<div class="button-row grid-2" key=${index} role="group" aria-label=${`Button ${index + 1}`}>
            <${SelectField} label=${`Button ${index + 1} type`} value=${button.type} options=${BUTTON_KINDS} onChange=${setButton(index, 'type')}
              error=${errors[`components.buttons[${index}].type`] ?? errors[`components.buttons[${index}]`]} path=${`components.buttons[${index}].type`} />
            <${TextField} label=${`Button ${index + 1} text`} value=${button.text} onInput=${setButton(index, 'text')}
              error=${errors[`components.buttons[${index}].text`]} path=${`components.buttons[${index}].text`} />
            ${
              button.type === 'URL' &&
              html`<${TextField} label=${`Button ${index + 1} link`} value=${button.url} onInput=${setButton(index, 'url')}
              error=${errors[`components.buttons[${index}].url`]} path=${`components.buttons[${index}].url`} hint="May end in {{1}}, the suffix each send gives." />`
            }
            ${
              button.type === 'PHONE_NUMBER' &&
              html`<${TextField} label=${`Button ${index + 1} phone number`} value=${button.phone_number}
              onInput=${setButton(index, 'phone_number')} error=${errors[`components.buttons[${index}].phone_number`]} path=${`components.buttons[${index}].phone_number`} />`
            }
            <button type="button" class="quiet small" onClick=${() => setForm({ ...form, buttons: form.buttons.filter((_, i) => i !== index) })}>Remove button ${index + 1}</button>
          </div>`,
          )}
          ${
            form.buttons.length < BUTTONS_MAX &&
            html`<button type="button" class="small"
            onClick=${() => setForm({ ...form, buttons: [...form.buttons, { type: 'QUICK_REPLY', text: '', url: '', phone_number: '' }] })}>Add a button</button>`
          }
        </fieldset>
        <${ErrorNotice} error=${errors['']} />
        <${StatusNotice} text=${status} />
        <button type="submit" disabled=${busy}>${templateKey ? 'Save changes' : 'Create template'}</button>
      </form>
      <${Preview} form=${form} />
    </div>
  </section>`;
}

/** The message as a customer would see it, placeholders unfilled. */
function Preview({ form }) {
  return html`<aside class="preview" aria-label="Preview">
    <p class="muted">Preview</p>
    <div class="message out"><div class="bubble type-template">
      ${form.headerFormat === 'TEXT' ? form.headerText && html`<p class="header">${form.headerText}</p>` : form.headerFormat && html`<p class="muted">[${form.headerFormat.toLowerCase()}]</p>`}
      <p class="text">${form.body || '…'}</p>
      ${form.footer && html`<p class="footer">${form.footer}</p>`}
      ${form.buttons.length > 0 && html`<ul class="buttons">${form.buttons.map((button) => html`<li>${button.text || '…'}</li>`)}</ul>`}
    </div></div>
  </aside>`;
}

/** The form's fields from a stored template. */
function formOf(/** @type {any} */ template) {
  const { header, body, footer, buttons = [] } = template.components;
  return {
    namespace: template.namespace,
    name: template.name,
    language: template.language,
    category: template.category,
    status: template.status,
    headerFormat: header?.format ?? '',
    headerText: header?.text ?? '',
    body: body.text,
    footer: footer?.text ?? '',
    buttons: buttons.map((/** @type {any} */ b) => ({
      type: b.type,
      text: b.text,
      url: b.url ?? '',
      phone_number: b.phone_number ?? '',
    })),
  };
}

/** The components document from the form: empty optional parts are left out, so the API sees only what was given. */
function componentsOf(/** @type {typeof EMPTY} */ form) {
  return {
    ...(form.headerFormat
      ? { header: { format: form.headerFormat, ...(form.headerFormat === 'TEXT' ? { text: form.headerText } : {}) } }
      : {}),
    body: { text: form.body },
    ...(form.footer ? { footer: { text: form.footer } } : {}),
    ...(form.buttons.length
      ? {
          buttons: form.buttons.map((b) => ({
            type: b.type,
            text: b.text,
            ...(b.type === 'URL' ? { url: b.url } : {}),
            ...(b.type === 'PHONE_NUMBER' ? { phone_number: b.phone_number } : {}),
          })),
        }
      : {}),
  };
}
