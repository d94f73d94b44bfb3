// The business's text box: POST /v1/messages, as an integration would send. Enter sends, Shift+Enter adds a line.
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { phone } from '../lib/format.js';
import { html } from '../lib/html.js';
import { ErrorNotice } from './ui.js';

/** @param {{ waId: string, onSent: () => void }} props */
export function Composer({ waId, onSent }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(/** @type {unknown} */ (null));

  async function send(/** @type {Event} */ event) {
    event.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      await api.post('/v1/messages', { recipient_type: 'individual', to: waId, type: 'text', text: { body: text } });
      setText('');
      setError(null);
      onSent();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(/** @type {KeyboardEvent} */ event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) send(event);
  }

  return html`<form class="composer" onSubmit=${send} aria-label="Send as the business">
    <${ErrorNotice} error=${error} />
    <label class="sr-only" for="composer-text">Message to ${phone(waId)}, as the business</label>
    <textarea id="composer-text" rows="1" placeholder="Type a message" value=${text} maxlength="4096"
      onInput=${(/** @type {any} */ event) => setText(event.currentTarget.value)} onKeyDown=${onKeyDown}></textarea>
    <button type="submit" class="send" disabled=${busy || !text.trim()} aria-label="Send">
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path d="M2 21l21-9L2 3v7l15 2-15 2z" fill="currentColor" /></svg>
    </button>
  </form>`;
}
