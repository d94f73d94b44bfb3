// Users: your own password (anyone); for an admin, creating ROLE_USER accounts, and looking one up to change its
// password or delete it. The API has no list of users (On-Prem had none either), so one is looked up by name.
import { useRef, useState } from 'preact/hooks';
import { api, segment } from '../lib/api.js';
import { fieldErrors } from '../lib/field-errors.js';
import { html } from '../lib/html.js';
import { endSession } from '../lib/session.js';
import { ErrorNotice, focusFirstInvalid, PageTitle, StatusNotice, TextField } from './ui.js';

/** @param {{ user: any }} props */
export default function Users({ user }) {
  return html`<div class="page">
    <${PageTitle}>${user.admin ? 'Users' : 'Account'}<//>
    <${OwnPassword} username=${user.username} />
    ${user.admin && html`<${CreateUser} /><${FindUser} self=${user.username} />`}
  </div>`;
}

/**
 * A small form: `submit` gets the values; its errors are mapped to `fields`, anything else shown for the form.
 * @param {Record<string, string>} initial @param {(values: Record<string, string>) => Promise<string>} submit answers the success line
 */
function useSmallForm(initial, submit, /** @type {string[]} */ fields) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState(/** @type {Record<string, string>} */ ({}));
  const [status, setStatus] = useState('');
  const element = useRef(/** @type {HTMLFormElement | null} */ (null));
  async function onSubmit(/** @type {Event} */ event) {
    event.preventDefault();
    setStatus('');
    try {
      setStatus(await submit(values));
      setErrors({});
      setValues(initial);
    } catch (error) {
      setErrors(fieldErrors(error, fields));
      focusFirstInvalid(element.current);
    }
  }
  const field = (/** @type {string} */ name) => ({
    value: values[name],
    onInput: (/** @type {string} */ v) => setValues({ ...values, [name]: v }),
    error: errors[name],
  });
  return { element, onSubmit, field, errors, status };
}

function OwnPassword({ username }) {
  const form = useSmallForm(
    { password: '' },
    async ({ password }) => {
      await api.put(`/v1/users/${segment(username)}`, { password });
      // A password change revokes every token of the user, this session's included.
      endSession('Your password was changed: log in with the new one.');
      return '';
    },
    ['password'],
  );
  return html`<form class="card" ref=${form.element} onSubmit=${form.onSubmit} aria-labelledby="own-title" novalidate>
    <h2 id="own-title">Your password</h2>
    <${TextField} label="New password" type="password" autocomplete="new-password" ...${form.field('password')}
      hint="8 to 64 characters, with upper- and lower-case letters, a digit and a symbol. Every session of yours ends." />
    <${ErrorNotice} error=${form.errors['']} />
    <button type="submit">Change my password</button>
  </form>`;
}

function CreateUser() {
  const form = useSmallForm(
    { username: '', password: '' },
    async ({ username, password }) => {
      await api.post('/v1/users', { username, password });
      return `User ${username} created (ROLE_USER).`;
    },
    ['username', 'password'],
  );
  return html`<form class="card" ref=${form.element} onSubmit=${form.onSubmit} aria-labelledby="create-title" novalidate>
    <h2 id="create-title">New user</h2>
    <div class="grid-2">
      <${TextField} label="Username" autocomplete="off" autocapitalize="none" ...${form.field('username')} hint="4 to 32 characters." />
      <${TextField} label="Password" type="password" autocomplete="new-password" ...${form.field('password')} />
    </div>
    <${ErrorNotice} error=${form.errors['']} />
    <${StatusNotice} text=${form.status} />
    <button type="submit">Create user</button>
  </form>`;
}

function FindUser({ self }) {
  const [found, setFound] = useState(/** @type {{ username: string, ROLES: string } | null} */ (null));
  const [status, setStatus] = useState('');
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const lookup = useSmallForm(
    { username: '' },
    async ({ username }) => {
      setFound((await api.get(`/v1/users/${segment(username)}`)).users[0]);
      return '';
    },
    ['username'],
  );
  const change = useSmallForm(
    { password: '' },
    async ({ password }) => {
      await api.put(`/v1/users/${segment(found?.username ?? '')}`, { password });
      return `Password of ${found?.username} changed; its sessions ended.`;
    },
    ['password'],
  );

  async function remove() {
    try {
      await api.delete(`/v1/users/${segment(found?.username ?? '')}`);
      setStatus(`User ${found?.username} deleted.`);
      setFound(null);
    } catch (failure) {
      setError(failure);
    }
  }

  return html`<section class="card" aria-labelledby="find-title">
    <h2 id="find-title">Find a user</h2>
    <form ref=${lookup.element} onSubmit=${lookup.onSubmit} class="inline-form" novalidate>
      <${TextField} label="Username" autocomplete="off" autocapitalize="none" ...${lookup.field('username')} />
      <button type="submit">Look up</button>
    </form>
    <${ErrorNotice} error=${error ?? lookup.errors['']} />
    <${StatusNotice} text=${status || change.status} />
    ${
      found &&
      html`<div class="found">
      <p><strong>${found.username}</strong> <span class="badge">${found.ROLES === 'ROLE_ADMIN' ? 'admin' : 'user'}</span></p>
      ${
        found.username !== self &&
        html`<form ref=${change.element} onSubmit=${change.onSubmit} class="inline-form" novalidate>
        <${TextField} label=${`New password for ${found.username}`} type="password" autocomplete="new-password" ...${change.field('password')} />
        <button type="submit">Set password</button>
      </form>
      <${ErrorNotice} error=${change.errors['']} />`
      }
      ${found.username !== self && html`<button type="button" class="danger" onClick=${remove}>Delete ${found.username}</button>`}
    </div>`
    }
  </section>`;
}
