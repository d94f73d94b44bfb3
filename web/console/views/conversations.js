// Conversations: the customers who have messages, newest first, and the chat of the one chosen. On a narrow
// screen one of the two shows at a time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, segment } from '../lib/api.js';
import { clockTime, dayOf, phone } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLive } from '../lib/live.js';
import { href, navigate } from '../lib/router.js';
import { sandboxAdmin } from '../lib/session.js';
import { Ticks } from './bubble.js';
import { Chat } from './chat.js';
import { ErrorNotice, PageTitle, useLoad } from './ui.js';

const PAGE = 50;

/** @param {{ user: any, parts: string[] }} props */
export default function Conversations({ user, parts }) {
  const waId = parts[0] ?? null;
  const list = useLoad(() => api.get(`/x/v1/conversations?limit=${PAGE}`), []);
  useLive('conversation', () => true, list.reload);
  const older = useOlderPages(list.data);
  // A conversation that moved up into the first page since its older page was read shows once, at its new place.
  const first = list.data?.conversations ?? [];
  const conversations = [...first, ...older.conversations.filter((c) => !first.some((f) => f.wa_id === c.wa_id))];
  const nameOf = useCustomerNames(user, conversations);
  return html`<div class=${`conversations${waId ? ' has-chat' : ''}`}>
    <section class="conversation-list" aria-labelledby="conversations-title">
      <div class="list-head">
        <${PageTitle}><span id="conversations-title">Conversations</span><//>
        <${NewChat} />
      </div>
      <${ErrorNotice} error=${list.error} />
      ${list.data && conversations.length === 0 && html`<p class="muted pad">No conversations yet. Open a chat with a number above${sandboxAdmin(user) ? ', then write as the customer or as the business' : ''}.</p>`}
      <ul class="threads">
        ${conversations.map(
          (conversation) => html`<${Thread} key=${conversation.wa_id} conversation=${conversation}
          name=${nameOf(conversation.wa_id)} selected=${conversation.wa_id === waId} />`,
        )}
      </ul>
      ${older.next && html`<p class="older"><button type="button" class="quiet small" onClick=${older.load}>Older conversations</button></p>`}
    </section>
    ${
      waId
        ? html`<${Chat} key=${waId} user=${user} waId=${waId} name=${nameOf(waId)} />`
        : html`<section class="chat placeholder" aria-label="No chat open"><p>Choose a conversation, or open a chat with a number.</p></section>`
    }
  </div>`;
}

/** Pages of older conversations, read on demand after the first page (which alone is kept live). */
function useOlderPages(/** @type {any} */ firstPage) {
  const [pages, setPages] = useState(/** @type {any[]} */ ([]));
  const last = pages.at(-1) ?? firstPage;
  const next = last?.paging?.before ?? null;
  async function load() {
    if (next)
      setPages([...pages, await api.get(`/x/v1/conversations?limit=${PAGE}&before=${encodeURIComponent(next)}`)]);
  }
  return { conversations: pages.flatMap((page) => page.conversations), next, load };
}

function Thread({ conversation, name, selected }) {
  const last = conversation.last_message ?? {};
  const today = dayOf(Date.now() / 1000);
  const day = last.timestamp ? dayOf(last.timestamp) : '';
  return html`<li>
    <a class="thread" href=${href('conversations', conversation.wa_id)} aria-current=${selected ? 'true' : undefined}>
      <span class="avatar" aria-hidden="true">${(name || conversation.wa_id).slice(0, 1).toUpperCase()}</span>
      <span class="thread-main">
        <span class="thread-top">
          <span class="thread-name">${name || phone(conversation.wa_id)}</span>
          <span class="thread-time">${day === today ? clockTime(last.timestamp) : day}</span>
        </span>
        <span class="thread-bottom">
          ${last.direction === 'outbound' && html`<${Ticks} message=${last} />`}
          <span class="thread-preview">${last.preview ?? ''}</span>
          ${conversation.unread > 0 && html`<span class="unread" aria-label=${`${conversation.unread} unread`}>${conversation.unread}</span>`}
        </span>
      </span>
    </a>
  </li>`;
}

/** Opens the chat of any number: the sandbox has a customer behind every valid mobile number. */
function NewChat() {
  const [number, setNumber] = useState('');
  const submit = (/** @type {Event} */ event) => {
    event.preventDefault();
    const digits = number.replace(/\D/g, '');
    if (digits) navigate(`conversations/${segment(digits)}`);
    setNumber('');
  };
  return html`<form class="new-chat" onSubmit=${submit} aria-label="Open a chat">
    <label class="sr-only" for="new-chat-number">Phone number with country code</label>
    <input id="new-chat-number" type="tel" placeholder="+1 631 555 1234" value=${number} autocomplete="off"
      onInput=${(/** @type {any} */ event) => setNumber(event.currentTarget.value)} />
    <button type="submit" class="small">Open chat</button>
  </form>`;
}

/**
 * The sandbox customers' profile names, for the list and the chat header (admin on the sandbox only; elsewhere
 * numbers show). Read again when a conversation appears whose customer was not among them, once per customer.
 */
function useCustomerNames(/** @type {any} */ user, /** @type {any[]} */ conversations) {
  const names = useLoad(() => (sandboxAdmin(user) ? customerNames() : Promise.resolve(new Map())), []);
  const asked = useRef(new Set());
  useEffect(() => {
    if (!names.data || !sandboxAdmin(user)) return;
    const unknown = conversations.filter((c) => !names.data?.has(c.wa_id) && !asked.current.has(c.wa_id));
    for (const c of unknown) asked.current.add(c.wa_id);
    if (unknown.length) names.reload();
  }, [conversations, names.data]);
  return (/** @type {string} */ waId) => names.data?.get(waId) ?? '';
}

async function customerNames() {
  /** @type {Map<string, string>} */
  const names = new Map();
  let after = '';
  // At most 5 pages of 200: enough for a sandbox under test; beyond it numbers show instead of names.
  for (let page = 0; page < 5; page++) {
    const answer = await api.get(`/sandbox/customers?limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    for (const customer of answer.customers ?? []) if (customer.name) names.set(customer.wa_id, customer.name);
    after = answer.paging?.after ?? '';
    if (!after) break;
  }
  return names;
}
