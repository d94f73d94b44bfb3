// One webhook delivery: its state, the body it sends (signed as is), every attempt with the receiver's status,
// time and answer, and a replay.
import { useState } from 'preact/hooks';
import { api, segment } from '../lib/api.js';
import { when } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLive } from '../lib/live.js';
import { href } from '../lib/router.js';
import { ErrorNotice, PageTitle, StatusNotice, useLoad } from './ui.js';

/** @param {{ id: string }} props */
export default function DeliveryDetail({ id }) {
  const path = `/x/v1/webhooks/deliveries/${segment(id)}`;
  const detail = useLoad(() => api.get(path).then((answer) => answer.deliveries[0]), [id]);
  useLive(
    'deliveries',
    () => true,
    () => detail.reload(),
  );
  const [status, setStatus] = useState('');
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const delivery = detail.data;

  async function replay() {
    try {
      await api.post(`${path}/replay`);
      setStatus('Sent again: the next attempt is due now.');
      setError(null);
      detail.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return html`<section class="page" aria-labelledby="delivery-title">
    <p><a href=${href('deliveries')}>← All deliveries</a></p>
    <${PageTitle}><span id="delivery-title">Delivery ${id}</span><//>
    <${ErrorNotice} error=${error ?? detail.error} />
    <${StatusNotice} text=${status} />
    ${
      delivery &&
      html`
      <dl class="facts">
        <dt>State</dt><dd class=${`state state-${delivery.state}`}>${delivery.state}</dd>
        <dt>Kind</dt><dd>${delivery.kind}</dd>
        <dt>Message</dt><dd class="mono">${delivery.message_id ?? '—'}</dd>
        <dt>Attempts</dt><dd>${delivery.attempts}</dd>
        <dt>Last error</dt><dd>${lastError(delivery)}</dd>
        <dt>Created</dt><dd>${when(delivery.created_at)}</dd>
        <dt>${delivery.state === 'pending' ? 'Next attempt' : 'Completed'}</dt>
        <dd>${when(delivery.state === 'pending' ? delivery.next_attempt_at : delivery.completed_at)}</dd>
      </dl>
      <div class="actions"><button type="button" class="primary" onClick=${replay}>Replay this delivery</button></div>
      <h2>Request body</h2>
      <pre tabindex="0" aria-label="Request body">${JSON.stringify(delivery.payload, null, 2)}</pre>
      <h2>Attempts</h2>
      ${delivery.attempt_log.length === 0 && html`<p class="muted">Not attempted yet.</p>`}
      <ol class="attempts">
        ${delivery.attempt_log.map(
          (attempt) => html`<li>
          <p><strong>${attempt.status_code ? `HTTP ${attempt.status_code}` : (attempt.error ?? 'no answer')}</strong>
            <span class="muted"> · ${when(attempt.attempted_at)} · ${attempt.duration_ms} ms</span></p>
          ${attempt.status_code && attempt.error && html`<p>${attempt.error}</p>`}
          ${attempt.response_body !== null && html`<pre tabindex="0" aria-label="Response body">${attempt.response_body || '(empty)'}</pre>`}
        </li>`,
        )}
      </ol>`
    }
  </section>`;
}

/** "HTTP 500 …", "connection refused", or nothing yet. */
export function lastError(/** @type {any} */ row) {
  if (row.last_status_code && row.last_error) return `HTTP ${row.last_status_code}: ${row.last_error}`;
  if (row.last_status_code) return row.last_status_code >= 300 ? `HTTP ${row.last_status_code}` : '—';
  return row.last_error ?? '—';
}
