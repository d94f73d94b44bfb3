// One customer's chat: every message both ways, oldest at the top, kept current by the events stream (a new
// message or a status moves the ticks without a reload); the business's composer below; for an admin on the
// sandbox, the customer's side panel (customer-panel.js).
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, segment } from '../lib/api.js';
import { dayOf, phone } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLive } from '../lib/live.js';
import { href } from '../lib/router.js';
import { sandboxAdmin } from '../lib/session.js';
import { Bubble } from './bubble.js';
import { Composer } from './composer.js';
import { CustomerPanel } from './customer-panel.js';
import { ErrorNotice } from './ui.js';

const PAGE = 50;

/** @param {{ user: any, waId: string, name?: string }} props */
export function Chat({ user, waId, name }) {
  const [messages, setMessages] = useState(/** @type {any[]} */ ([]));
  const [older, setOlder] = useState(/** @type {string | null} */ (null));
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const [loaded, setLoaded] = useState(false);
  const [panelOpen, setPanelOpen] = useState(false);
  const scroller = useRef(/** @type {HTMLDivElement | null} */ (null));
  const stickToBottom = useRef(true);
  const base = `/x/v1/conversations/${segment(waId)}/messages`;

  /** The newest page, merged into what is shown (statuses of messages already there are updated in place). */
  async function loadNewest() {
    try {
      const answer = await api.get(`${base}?limit=${PAGE}`);
      setMessages((shown) => merge(shown, answer.messages));
      if (!loaded) setOlder(answer.paging?.before ?? null);
      setLoaded(true);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }

  async function loadOlder() {
    if (!older) return;
    const answer = await api.get(`${base}?limit=${PAGE}&before=${encodeURIComponent(older)}`);
    stickToBottom.current = false;
    setMessages((shown) => merge(answer.messages, shown));
    setOlder(answer.paging?.before ?? null);
  }

  useEffect(() => {
    loadNewest();
  }, [waId]);
  useLive('conversation', (data) => data?.wa_id === waId, loadNewest);

  // Follow new messages while the view is at the bottom; leave it alone while the user reads older ones. The list
  // also grows after a render (a thumbnail arrives, a template's text is fetched), hence the size observer.
  const list = useRef(/** @type {HTMLOListElement | null} */ (null));
  const followBottom = () => {
    const element = scroller.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  };
  useLayoutEffect(followBottom, [messages]);
  useEffect(() => {
    const observer = new ResizeObserver(followBottom);
    if (list.current) observer.observe(list.current);
    return () => observer.disconnect();
  }, []);
  const onScroll = () => {
    const element = scroller.current;
    if (element) stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
  };

  const byId = new Map(messages.map((message) => [message.id, message]));
  const reactions = reactionsByMessage(messages);
  const unread = messages.filter((message) => message.direction === 'inbound' && message.status === 'received');
  const showPanel = sandboxAdmin(user);

  async function markRead() {
    for (const message of unread) await api.put(`/v1/messages/${segment(message.id)}`, { status: 'read' });
    await loadNewest();
  }

  return html`<section class=${`chat${showPanel ? ' with-panel' : ''}${panelOpen ? ' panel-open' : ''}`} aria-labelledby="chat-title">
    <header class="chat-header">
      <a class="back" href=${href('conversations')} aria-label="Back to the conversations">←</a>
      <div class="avatar" aria-hidden="true">${(name || waId).slice(0, 1).toUpperCase()}</div>
      <div class="chat-title">
        <h2 id="chat-title">${name || phone(waId)}</h2>
        ${name && html`<p class="muted">${phone(waId)}</p>`}
      </div>
      ${
        unread.length > 0 &&
        html`<button type="button" class="quiet small" onClick=${markRead}
        aria-label=${`Mark ${unread.length} unread ${unread.length === 1 ? 'message' : 'messages'} read`}>Mark read (${unread.length})</button>`
      }
      ${
        showPanel &&
        html`<button type="button" class="quiet small panel-toggle" aria-expanded=${panelOpen} aria-controls="customer-panel"
        onClick=${() => setPanelOpen(!panelOpen)}>${panelOpen ? 'Back to chat' : 'Customer'}</button>`
      }
    </header>
    <div class="chat-body" ref=${scroller} onScroll=${onScroll}>
      ${older && html`<p class="older"><button type="button" class="quiet small" onClick=${loadOlder}>Load older messages</button></p>`}
      <${ErrorNotice} error=${error} />
      ${loaded && messages.length === 0 && html`<p class="empty-chat">No messages with ${phone(waId)} yet.</p>`}
      <ol class="messages" ref=${list} role="log" aria-live="polite" aria-relevant="additions" aria-label=${`Messages with ${name || phone(waId)}`}>
        ${withDays(
          messages.filter((message) => message.type !== 'reaction' || !byId.has(message.content?.message_id)),
        ).map((item) =>
          item.day
            ? html`<li class="day" key=${`day-${item.day}`}><span>${item.day}</span></li>`
            : html`<${Bubble} key=${item.message.id} message=${item.message} user=${user}
                quoted=${byId.get(item.message.context?.id)} reactions=${reactions.get(item.message.id)} />`,
        )}
      </ol>
    </div>
    <${Composer} waId=${waId} onSent=${() => {
      stickToBottom.current = true;
      loadNewest();
    }} />
    ${showPanel && html`<${CustomerPanel} id="customer-panel" waId=${waId} messages=${messages} onChanged=${loadNewest} />`}
  </section>`;
}

/** `first` then `second`, one entry per id (the later one wins), oldest first. */
function merge(/** @type {any[]} */ first, /** @type {any[]} */ second) {
  const byId = new Map(first.map((message) => [message.id, message]));
  for (const message of second) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => Number(a.timestamps?.created ?? 0) - Number(b.timestamps?.created ?? 0));
}

/** Each message's current reactions, one per side: a later reaction replaces the earlier, an empty one removes it. */
function reactionsByMessage(/** @type {any[]} */ messages) {
  /** @type {Map<string, Map<string, string>>} */
  const latest = new Map();
  for (const message of messages) {
    if (message.type !== 'reaction') continue;
    const target = message.content?.message_id;
    if (!latest.has(target)) latest.set(target, new Map());
    latest.get(target)?.set(message.direction, message.content?.emoji ?? '');
  }
  const result = new Map();
  for (const [target, sides] of latest) {
    const shown = [...sides]
      .filter(([, emoji]) => emoji)
      .map(([side, emoji]) => ({ emoji, from: side === 'outbound' ? 'Business' : 'Customer' }));
    result.set(target, shown);
  }
  return result;
}

/** Messages with a day separator before the first message of each day. */
function withDays(/** @type {any[]} */ messages) {
  /** @type {({ day: string, message?: undefined } | { message: any, day?: undefined })[]} */
  const items = [];
  let current = '';
  for (const message of messages) {
    const day = message.timestamps?.created ? dayOf(message.timestamps.created) : '';
    if (day && day !== current) {
      current = day;
      items.push({ day });
    }
    items.push({ message });
  }
  return items;
}
