// The sandbox's template registry: every translation with its category and status (approved, paused, disabled,
// rejected: what a send of it then fails with), changed in place; create and edit in template-form.js.
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { html } from '../lib/html.js';
import { href } from '../lib/router.js';
import { forgetTemplates, STATUSES, templatePath } from '../lib/templates.js';
import TemplateForm from './template-form.js';
import { ErrorNotice, PageTitle, StatusNotice, useLoad } from './ui.js';

/** @param {{ user: any, parts: string[] }} props  parts: [] (the list), ['new'], or [namespace, name, language] */
export default function Templates({ parts }) {
  if (parts[0] === 'new') return html`<${TemplateForm} />`;
  if (parts.length === 3)
    return html`<${TemplateForm} templateKey=${{ namespace: parts[0], name: parts[1], language: parts[2] }} />`;
  return html`<${TemplateList} />`;
}

function TemplateList() {
  const list = useLoad(() => api.get('/sandbox/templates'), []);
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState('');

  /** @param {() => Promise<unknown>} change @param {string} done */
  async function apply(change, done) {
    try {
      await change();
      forgetTemplates();
      setError(null);
      setStatus(done);
    } catch (failure) {
      setStatus('');
      setError(failure);
    }
    // Also after a refusal, so that a status menu shows what is stored rather than what was picked.
    list.reload();
  }

  const templates = list.data?.templates ?? [];
  return html`<section class="page" aria-labelledby="templates-title">
    <${PageTitle}><span id="templates-title">Templates</span> <span class="badge">sandbox</span><//>
    <p class="muted">The registry a template send is checked against. A paused, disabled or rejected template fails its sends with 2061, 2062 or 2060.</p>
    <div class="actions"><a class="button-link" href=${href('templates', 'new')}>New template</a></div>
    <${ErrorNotice} error=${error ?? list.error} />
    <${StatusNotice} text=${status} />
    <div class="table-wrap">
      <table class="stack">
        <caption class="sr-only">Sandbox templates</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Language</th><th scope="col">Category</th><th scope="col">Status</th>
          <th scope="col">Namespace</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          ${templates.map((template) => {
            const key = `${template.namespace}/${template.name}/${template.language}`;
            const path = templatePath(template);
            return html`<tr key=${key}>
              <td data-label="Name"><a href=${href('templates', template.namespace, template.name, template.language)}>${template.name}</a></td>
              <td data-label="Language">${template.language}</td>
              <td data-label="Category">${template.category}</td>
              <td data-label="Status">
                <label class="sr-only" for=${`status-${key}`}>Status of ${template.name} (${template.language})</label>
                <select id=${`status-${key}`} class="inline" value=${template.status}
                  onChange=${(/** @type {any} */ event) => apply(() => api.patch(path, { status: event.currentTarget.value }), `${template.name} is now ${event.currentTarget.value}.`)}>
                  ${STATUSES.map(([value, label]) => html`<option value=${value} selected=${value === template.status}>${label}</option>`)}
                </select>
              </td>
              <td data-label="Namespace" class="mono">${template.namespace}</td>
              <td>${
                confirming === key
                  ? html`<button type="button" class="danger small" onClick=${() => apply(() => api.delete(path), `${template.name} (${template.language}) deleted.`)}>Delete ${template.name}?</button>
                    <button type="button" class="quiet small" onClick=${() => setConfirming('')}>Keep</button>`
                  : html`<button type="button" class="quiet small" aria-label=${`Delete ${template.name} (${template.language})`} onClick=${() => setConfirming(key)}>Delete</button>`
              }
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
  </section>`;
}
