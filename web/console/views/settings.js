// The application settings (where callbacks go and which statuses, callback_persist, media auto-download), the
// business profile and the About text. Each form sends only what changed, and shows the API's error at its field.
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_CONCURRENT_REQUESTS, MEDIA_TYPES } from '../catalogue.js';
import { api } from '../lib/api.js';
import { fieldErrors } from '../lib/field-errors.js';
import { html } from '../lib/html.js';
import { BusinessProfileForm, AboutForm } from './profile.js';
import { CheckField, ErrorNotice, focusFirstInvalid, PageTitle, SelectField, StatusNotice, TextField } from './ui.js';

const FIELDS = [
  'webhooks.url',
  'webhooks.secret',
  'webhooks.max_concurrent_requests',
  'webhooks.message',
  'callback_persist',
  'media.auto_download',
];

export default function Settings() {
  return html`<div class="page">
    <${PageTitle}>Settings<//>
    <${ApplicationForm} />
    <${BusinessProfileForm} />
    <${AboutForm} />
  </div>`;
}

/** The form's values from GET /v1/settings/application. */
function formOf(/** @type {any} */ application) {
  return {
    url: application.webhooks.url ?? '',
    secret: '',
    removeSecret: false,
    secretSet: application.webhooks.secret_set,
    maxConcurrent: String(application.webhooks.max_concurrent_requests),
    message: { ...application.webhooks.message },
    callbackPersist: application.callback_persist,
    autoDownload: [...application.media.auto_download],
  };
}

/** A PATCH with only what differs from what was loaded. */
function patchOf(/** @type {ReturnType<typeof formOf>} */ form, /** @type {ReturnType<typeof formOf>} */ loaded) {
  /** @type {Record<string, any>} */
  const webhooks = {};
  if (form.url !== loaded.url) webhooks.url = form.url.trim() || null;
  if (form.removeSecret) webhooks.secret = null;
  else if (form.secret) webhooks.secret = form.secret;
  if (form.maxConcurrent !== loaded.maxConcurrent) webhooks.max_concurrent_requests = Number(form.maxConcurrent);
  if (JSON.stringify(form.message) !== JSON.stringify(loaded.message)) webhooks.message = form.message;
  /** @type {Record<string, any>} */
  const patch = Object.keys(webhooks).length ? { webhooks } : {};
  if (form.callbackPersist !== loaded.callbackPersist) patch.callback_persist = form.callbackPersist;
  if ([...form.autoDownload].sort().join() !== [...loaded.autoDownload].sort().join())
    patch.media = { auto_download: form.autoDownload };
  return patch;
}

function ApplicationForm() {
  const [loaded, setLoaded] = useState(/** @type {ReturnType<typeof formOf> | null} */ (null));
  const [form, setForm] = useState(/** @type {ReturnType<typeof formOf> | null} */ (null));
  const [errors, setErrors] = useState(/** @type {Record<string, string>} */ ({}));
  const [status, setStatus] = useState('');
  const element = useRef(/** @type {HTMLFormElement | null} */ (null));

  const load = () =>
    api.get('/v1/settings/application').then(
      (answer) => {
        const values = formOf(answer.settings.application);
        setLoaded(values);
        setForm(values);
      },
      (error) => setErrors({ '': error.message }),
    );
  useEffect(() => {
    load();
  }, []);

  async function save(/** @type {Event} */ event) {
    event.preventDefault();
    if (!form || !loaded) return;
    const patch = patchOf(form, loaded);
    if (!Object.keys(patch).length) {
      setErrors({});
      return setStatus('Nothing changed.');
    }
    try {
      await api.patch('/v1/settings/application', patch);
      await load();
      setErrors({});
      setStatus('Application settings saved.');
    } catch (error) {
      setStatus('');
      setErrors(fieldErrors(error, FIELDS));
      focusFirstInvalid(element.current);
    }
  }

  if (!form)
    return html`<section aria-labelledby="application-title"><h2 id="application-title">Application</h2><${ErrorNotice} error=${errors['']} /></section>`;
  const set = (/** @type {Partial<typeof form>} */ change) => setForm({ ...form, ...change });
  const toggleType = (/** @type {string} */ type, /** @type {boolean} */ on) =>
    set({ autoDownload: on ? [...form.autoDownload, type] : form.autoDownload.filter((t) => t !== type) });
  return html`<form class="card" ref=${element} onSubmit=${save} aria-labelledby="application-title" novalidate>
    <h2 id="application-title">Application</h2>
    <fieldset>
      <legend>Webhooks</legend>
      <${TextField} label="Webhook URL" type="url" value=${form.url} onInput=${(url) => set({ url })} error=${errors['webhooks.url']} path="webhooks.url"
        hint="Where callbacks are posted. Empty: no callbacks." />
      <${TextField} label=${form.secretSet ? 'New signing secret (one is set)' : 'Signing secret'} type="password" autocomplete="new-password"
        value=${form.secret} onInput=${(secret) => set({ secret })} error=${errors['webhooks.secret']} path="webhooks.secret"
        hint="16 to 256 characters; callbacks then carry X-Hub-Signature-256. Left empty: unchanged." />
      ${form.secretSet && html`<${CheckField} label="Remove the signing secret" checked=${form.removeSecret} onChange=${(removeSecret) => set({ removeSecret })} />`}
      <${SelectField} label="Callbacks in flight at once" value=${form.maxConcurrent} onChange=${(maxConcurrent) => set({ maxConcurrent })}
        options=${MAX_CONCURRENT_REQUESTS.map((n) => [String(n), String(n)])} error=${errors['webhooks.max_concurrent_requests']} />
    </fieldset>
    <fieldset>
      <legend>Status callbacks</legend>
      ${['sent', 'delivered', 'read'].map(
        (status) => html`<${CheckField} label=${`Message ${status}`} checked=${form.message[status]}
        onChange=${(on) => set({ message: { ...form.message, [status]: on } })} />`,
      )}
      <${CheckField} label="Keep retrying callbacks until delivered (callback_persist)" checked=${form.callbackPersist}
        onChange=${(callbackPersist) => set({ callbackPersist })} hint="Off: a callback is given up after its last retry." />
    </fieldset>
    <fieldset>
      <legend>Download customers' media automatically</legend>
      ${errors['media.auto_download'] && html`<p class="field-error">${errors['media.auto_download']}</p>`}
      <div class="check-columns">
        ${MEDIA_TYPES.map((type) => html`<${CheckField} label=${type} checked=${form.autoDownload.includes(type)} onChange=${(on) => toggleType(type, on)} />`)}
      </div>
    </fieldset>
    <${ErrorNotice} error=${errors['']} />
    <${StatusNotice} text=${status} />
    <button type="submit">Save application settings</button>
  </form>`;
}
