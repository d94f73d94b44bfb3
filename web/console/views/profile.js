// The business profile (address, description, e-mail, industry, websites) and the About text, as customers see
// them. On the cloud gateway both are Meta's, through the same routes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { VERTICAL_LABELS } from '../catalogue.js';
import { api } from '../lib/api.js';
import { fieldErrors } from '../lib/field-errors.js';
import { html } from '../lib/html.js';
import { ErrorNotice, focusFirstInvalid, SelectField, StatusNotice, TextField } from './ui.js';

const PROFILE_FIELDS = ['address', 'description', 'email', 'vertical', 'websites[0]', 'websites[1]', 'websites'];

/**
 * Loads a form's values once, and saves them with the API's errors mapped to the fields.
 * @param {() => Promise<any>} read @param {(values: any) => Promise<unknown>} write @param {string[]} fields
 */
function useForm(read, write, fields) {
  const [values, setValues] = useState(/** @type {any} */ (null));
  const [errors, setErrors] = useState(/** @type {Record<string, string>} */ ({}));
  const [status, setStatus] = useState('');
  const element = useRef(/** @type {HTMLFormElement | null} */ (null));
  useEffect(() => {
    read().then(setValues, (error) => setErrors({ '': error.message }));
  }, []);
  async function save(/** @type {Event} */ event) {
    event.preventDefault();
    setStatus('');
    try {
      await write(values);
      setErrors({});
      setStatus('Saved.');
    } catch (error) {
      setErrors(fieldErrors(error, fields));
      focusFirstInvalid(element.current);
    }
  }
  const set = (/** @type {string} */ key) => (/** @type {unknown} */ value) => setValues({ ...values, [key]: value });
  return { values, errors, status, element, save, set };
}

export function BusinessProfileForm() {
  const form = useForm(
    () =>
      api.get('/v1/settings/business/profile').then((answer) => {
        const profile = answer.settings.business.profile;
        return { ...profile, websites: [profile.websites?.[0] ?? '', profile.websites?.[1] ?? ''] };
      }),
    (values) =>
      api.post('/v1/settings/business/profile', {
        address: values.address,
        description: values.description,
        email: values.email,
        ...(values.vertical ? { vertical: values.vertical } : {}),
        websites: values.websites.filter(Boolean),
      }),
    PROFILE_FIELDS,
  );
  const { values, errors } = form;
  const setWebsite = (/** @type {number} */ index) => (/** @type {string} */ url) =>
    form.set('websites')(values.websites.map((old, i) => (i === index ? url : old)));
  return html`<form class="card" ref=${form.element} onSubmit=${form.save} aria-labelledby="profile-title" novalidate>
    <h2 id="profile-title">Business profile</h2>
    ${
      values &&
      html`<div class="grid-2">
      <${TextField} label="Description" value=${values.description} onInput=${form.set('description')} error=${errors.description} />
      <${TextField} label="Address" value=${values.address} onInput=${form.set('address')} error=${errors.address} />
      <${TextField} label="E-mail" type="email" value=${values.email} onInput=${form.set('email')} error=${errors.email} />
      <${SelectField} label="Industry" value=${values.vertical} onChange=${form.set('vertical')} error=${errors.vertical}
        options=${[['', 'Not set'], ...VERTICAL_LABELS.map((label) => [label, label])]} />
      <${TextField} label="Website" type="url" value=${values.websites[0]} onInput=${setWebsite(0)} error=${errors['websites[0]'] ?? errors.websites} />
      <${TextField} label="Second website" type="url" value=${values.websites[1]} onInput=${setWebsite(1)} error=${errors['websites[1]']} />
    </div>`
    }
    <${ErrorNotice} error=${errors['']} />
    <${StatusNotice} text=${form.status} />
    <button type="submit" disabled=${!values}>Save business profile</button>
  </form>`;
}

export function AboutForm() {
  const form = useForm(
    () => api.get('/v1/settings/profile/about').then((answer) => ({ text: answer.settings.profile.about.text ?? '' })),
    (values) => api.patch('/v1/settings/profile/about', { text: values.text }),
    ['text'],
  );
  return html`<form class="card" ref=${form.element} onSubmit=${form.save} aria-labelledby="about-title" novalidate>
    <h2 id="about-title">About</h2>
    ${
      form.values &&
      html`<${TextField} label="About text" value=${form.values.text} onInput=${form.set('text')} error=${form.errors.text}
      maxlength="139" hint="1 to 139 characters, under the business's name." />`
    }
    <${ErrorNotice} error=${form.errors['']} />
    <${StatusNotice} text=${form.status} />
    <button type="submit" disabled=${!form.values}>Save About</button>
  </form>`;
}
