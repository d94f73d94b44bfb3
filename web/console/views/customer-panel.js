// The sandbox's side of a chat, for an admin: how the virtual customer behaves (online, read receipts, a failure
// to inject, on WhatsApp at all) and what the customer writes back (customer-writer.js).
import { useEffect, useState } from 'preact/hooks';
import { ERROR_TITLES, SANDBOX_FAILURE_CODES } from '../catalogue.js';
import { api, segment } from '../lib/api.js';
import { html } from '../lib/html.js';
import { CustomerWriter } from './customer-writer.js';
import { CheckField, ErrorNotice, SelectField } from './ui.js';

/** @param {{ id: string, waId: string, messages: any[], onChanged: () => void }} props */
export function CustomerPanel({ id, waId, messages, onChanged }) {
  const [customer, setCustomer] = useState(/** @type {any} */ (null));
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const path = `/sandbox/customers/${segment(waId)}`;

  useEffect(() => {
    api.get(path).then((answer) => setCustomer(answer.customers[0]), setError);
  }, [waId]);

  async function change(/** @type {Record<string, unknown>} */ changes) {
    try {
      const answer = await api.patch(path, changes);
      setCustomer(answer.customers[0]);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }

  return html`<aside class="customer-panel" id=${id} aria-label="The customer (sandbox)">
    <h3>The customer <span class="badge">sandbox</span></h3>
    <${ErrorNotice} error=${error} />
    ${
      customer &&
      html`<fieldset class="controls">
      <legend>Behaviour</legend>
      <${CheckField} label="Online" checked=${customer.online} onChange=${(online) => change({ online })}
        hint="Offline: statuses stop at sent." />
      <${CheckField} label="Read receipts" checked=${customer.read_receipts} onChange=${(value) => change({ read_receipts: value })} />
      <${CheckField} label="On WhatsApp" checked=${customer.on_whatsapp} onChange=${(value) => change({ on_whatsapp: value })} />
      <${SelectField} label="Fail every send with" value=${customer.fail_with === null ? '' : String(customer.fail_with)}
        options=${[['', 'No failure'], ...SANDBOX_FAILURE_CODES.map((code) => [String(code), `${code} ${ERROR_TITLES[code]}`])]}
        onChange=${(value) => change({ fail_with: value ? Number(value) : null })} />
    </fieldset>`
    }
    <${CustomerWriter} waId=${waId} messages=${messages} onSent=${onChanged} />
  </aside>`;
}
