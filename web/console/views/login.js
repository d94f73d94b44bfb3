// Logging in with an On-Prem user (admin or not). A first login must choose a new password (401 / 1024): the form
// then asks for one and logs in again with it.
import { useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { fieldErrors } from '../lib/field-errors.js';
import { logIn, PasswordChangeRequired } from '../lib/session.js';
import { ErrorNotice, focusFirstInvalid, TextField } from './ui.js';

/** @param {{ notice: string }} props why this screen is shown (logged out, session ended) */
export function Login({ notice }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [changing, setChanging] = useState(false);
  const [errors, setErrors] = useState(/** @type {Record<string, string>} */ ({}));
  const [busy, setBusy] = useState(false);
  const form = useRef(/** @type {HTMLFormElement | null} */ (null));

  async function submit(/** @type {Event} */ event) {
    event.preventDefault();
    if (changing && newPassword !== confirmation) {
      setErrors({ confirmation: 'The two new passwords differ.' });
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await logIn(username, password, changing ? newPassword : undefined);
    } catch (error) {
      if (error instanceof PasswordChangeRequired) {
        setChanging(true);
        setErrors({ '': 'This is the first login with this password: choose a new one.' });
      } else {
        setErrors(fieldErrors(error, ['new_password']));
        focusFirstInvalid(form.current);
      }
    } finally {
      setBusy(false);
    }
  }

  return html`<main id="main" class="login-page">
    <form class="card login" ref=${form} onSubmit=${submit} aria-labelledby="login-title" novalidate>
      <h1 id="login-title"><img src="/console/icon.svg" alt="" width="32" height="32" /> OpenPrem console</h1>
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      <${TextField} label="Username" value=${username} onInput=${setUsername} autocomplete="username" required autofocus
        autocapitalize="none" spellcheck="false" />
      <${TextField} label="Password" type="password" value=${password} onInput=${setPassword} autocomplete="current-password" required />
      ${
        changing &&
        html`
        <${TextField} label="New password" type="password" value=${newPassword} onInput=${setNewPassword} autocomplete="new-password"
          required error=${errors.new_password} hint="8 to 64 characters, with upper- and lower-case letters, a digit and a symbol." />
        <${TextField} label="New password again" type="password" value=${confirmation} onInput=${setConfirmation}
          autocomplete="new-password" required error=${errors.confirmation} />`
      }
      <${ErrorNotice} error=${errors['']} />
      <button type="submit" class="primary" disabled=${busy}>${changing ? 'Change password and log in' : 'Log in'}</button>
      <p class="hint">The session lives in this tab only: reloading the page means logging in again.</p>
    </form>
  </main>`;
}
