// The webhook outbox: live counts, the delivery log as a table (state, message, kind, attempts, last error, next
// attempt) with filters and paging, and replay of every failed delivery; one delivery's attempts in
// delivery-detail.js.
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { age, when } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLive } from '../lib/live.js';
import { href } from '../lib/router.js';
import DeliveryDetail, { lastError } from './delivery-detail.js';
import { ErrorNotice, PageTitle, SelectField, StatusNotice, useLoad } from './ui.js';

const STATES = /** @type {[string, string][]} */ ([
  ['', 'Any state'],
  ['pending', 'Pending'],
  ['failed', 'Failed'],
  ['delivered', 'Delivered'],
]);
const KINDS = /** @type {[string, string][]} */ ([
  ['', 'Any kind'],
  ['message', 'Message'],
  ['status', 'Status'],
  ['contacts', 'Contacts'],
  ['error', 'Error'],
]);
const PAGE = 50;

/** @param {{ user: any, parts: string[] }} props */
export default function Deliveries({ parts }) {
  if (parts[0]) return html`<${DeliveryDetail} id=${parts[0]} />`;
  return html`<section class="page" aria-labelledby="deliveries-title">
    <${PageTitle}><span id="deliveries-title">Webhook deliveries</span><//>
    <${Counts} />
    <${DeliveryLog} />
  </section>`;
}

/** The outbox's backlog, live from the events stream (deliveries events), read once from the summary at first. */
function Counts() {
  const summary = useLoad(() => api.get('/x/v1/webhooks/deliveries/summary').then((answer) => answer.deliveries), []);
  const [live, setLive] = useState(/** @type {any} */ (null));
  useLive(
    'deliveries',
    () => true,
    (counts) => (counts ? setLive(counts) : summary.reload()),
  );
  const counts = live ?? summary.data;
  if (!counts) return null;
  return html`<ul class="counts" aria-label="Deliveries now">
    <li><span class="muted">Pending</span><strong>${counts.pending}</strong></li>
    <li><span class="muted">Failed</span><strong class=${counts.failed ? 'state-failed' : ''}>${counts.failed}</strong></li>
    <li><span class="muted">Delivered</span><strong>${counts.delivered}</strong></li>
    <li><span class="muted">Oldest pending</span><strong>${counts.pending ? age(counts.oldest_pending_age_seconds) : '—'}</strong></li>
  </ul>`;
}

function DeliveryLog() {
  const [state, setState] = useState('');
  const [kind, setKind] = useState('');
  const [pages, setPages] = useState(/** @type {string[]} */ ([]));
  const [status, setStatus] = useState('');
  const [replayError, setReplayError] = useState(/** @type {unknown} */ (null));
  const before = pages.at(-1) ?? '';
  const query = new URLSearchParams({
    limit: String(PAGE),
    ...(state ? { state } : {}),
    ...(kind ? { kind } : {}),
    ...(before ? { before } : {}),
  });
  const log = useLoad(() => api.get(`/x/v1/webhooks/deliveries?${query}`), [query.toString()]);
  useLive(
    'deliveries',
    () => true,
    () => log.reload(),
  );

  async function replayFailed() {
    try {
      const answer = await api.post('/x/v1/webhooks/deliveries/replay');
      setStatus(`${answer.replayed} failed ${answer.replayed === 1 ? 'delivery' : 'deliveries'} sent again.`);
      setReplayError(null);
      log.reload();
    } catch (failure) {
      setReplayError(failure);
    }
  }

  const filter = (/** @type {(value: string) => void} */ set) => (/** @type {string} */ value) => {
    set(value);
    setPages([]);
  };
  const rows = log.data?.deliveries ?? [];
  return html`<section aria-label="Delivery log">
    <div class="filters">
      <${SelectField} label="State" value=${state} options=${STATES} onChange=${filter(setState)} />
      <${SelectField} label="Kind" value=${kind} options=${KINDS} onChange=${filter(setKind)} />
      <div class="actions">
        <button type="button" onClick=${() => log.reload()}>Refresh</button>
        <button type="button" class="primary" onClick=${replayFailed}>Replay all failed</button>
      </div>
    </div>
    <${StatusNotice} text=${status} />
    <${ErrorNotice} error=${replayError ?? log.error} />
    <div class="table-wrap">
      <table class="stack">
        <caption class="sr-only">Webhook deliveries, newest first</caption>
        <thead><tr><th scope="col">State</th><th scope="col">Message</th><th scope="col">Kind</th><th scope="col">Attempts</th>
          <th scope="col">Last error</th><th scope="col">Next attempt</th><th scope="col">Created</th></tr></thead>
        <tbody>
          ${rows.map(
            (row) => html`<tr key=${row.id}>
            <td data-label="State"><a class=${`state state-${row.state}`} href=${href('deliveries', row.id)}>${row.state}</a></td>
            <td data-label="Message" class="mono">${row.message_id ?? '—'}</td>
            <td data-label="Kind">${row.kind}</td>
            <td data-label="Attempts">${row.attempts}</td>
            <td data-label="Last error">${lastError(row)}</td>
            <td data-label="Next attempt">${row.state === 'pending' ? when(row.next_attempt_at) : '—'}</td>
            <td data-label="Created">${when(row.created_at)}</td>
          </tr>`,
          )}
          ${log.data && rows.length === 0 && html`<tr><td colspan="7" class="muted">No deliveries${state || kind ? ' match these filters' : ' yet'}.</td></tr>`}
        </tbody>
      </table>
    </div>
    <div class="actions">
      ${pages.length > 0 && html`<button type="button" onClick=${() => setPages(pages.slice(0, -1))}>Newer</button>`}
      ${log.data?.paging?.before && html`<button type="button" onClick=${() => setPages([...pages, String(log.data.paging.before)])}>Older</button>`}
    </div>
  </section>`;
}
