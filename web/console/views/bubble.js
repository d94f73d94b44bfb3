// One message as a chat bubble: the business's on the right in green with its ticks, the customer's on the left;
// a quoted message above, reactions below.
import { ERROR_TITLES } from '../catalogue.js';
import { clockTime } from '../lib/format.js';
import { html } from '../lib/html.js';
import { MessageContent, previewText } from './content.js';

const CHECK = 'M2 8.5l3.2 3.2L12.5 4';
const icon = (/** @type {any} */ paths) =>
  html`<svg viewBox="0 0 18 16" width="18" height="16" aria-hidden="true" focusable="false">${paths}</svg>`;
const ICONS = {
  clock: icon(
    html`<circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.5" /><path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" />`,
  ),
  single: icon(html`<path d=${CHECK} fill="none" stroke="currentColor" stroke-width="1.6" />`),
  double: icon(
    html`<path d=${CHECK} fill="none" stroke="currentColor" stroke-width="1.6" /><path d="M6.5 8.5l3.2 3.2L17 4" fill="none" stroke="currentColor" stroke-width="1.6" />`,
  ),
};

/** clock → ✓ → ✓✓ → blue ✓✓, or ⚠ with the error's code: the status of a business message. */
const TICKS = {
  accepted: { icon: ICONS.clock, label: 'Waiting to be sent' },
  sent: { icon: ICONS.single, label: 'Sent' },
  delivered: { icon: ICONS.double, label: 'Delivered' },
  read: { icon: ICONS.double, label: 'Read' },
};

/** @param {{ message: any }} props */
export function Ticks({ message }) {
  if (message.status === 'failed') {
    const code = message.errors?.[0]?.code;
    const title = code ? ERROR_TITLES[code] : undefined;
    return html`<span class="ticks failed" data-status="failed">⚠ Failed${code ? `: ${code}` : ''}${title ? ` ${title}` : ''}</span>`;
  }
  const tick = TICKS[message.status];
  if (!tick) return null;
  return html`<span class=${`ticks ${message.status}`} data-status=${message.status} role="img" aria-label=${tick.label} title=${tick.label}>${tick.icon}</span>`;
}

/**
 * @param {{ message: any, user: any, quoted?: any, reactions?: { emoji: string, from: string }[] }} props
 *   quoted: the message this one answers (context.id), when it is loaded
 */
export function Bubble({ message, user, quoted, reactions = [] }) {
  const outbound = message.direction === 'outbound';
  const time = message.timestamps?.created;
  if (message.type === 'system')
    return html`<li class="system-line"><${MessageContent} message=${message} user=${user} /></li>`;
  return html`<li class=${`message ${outbound ? 'out' : 'in'}`} data-id=${message.id}>
    <div class=${`bubble type-${message.type}`}>
      <span class="sr-only">${outbound ? 'Business' : 'Customer'}:</span>
      ${quoted && html`<blockquote class="quoted"><span class="sr-only">In reply to: </span>${previewText(quoted)}</blockquote>`}
      ${message.context && !quoted && html`<blockquote class="quoted muted">In reply to an earlier message</blockquote>`}
      <${MessageContent} message=${message} user=${user} />
      <p class="meta">
        <time datetime=${time ? new Date(Number(time) * 1000).toISOString() : undefined}>${clockTime(time)}</time>
        ${outbound && html`<${Ticks} message=${message} />`}
      </p>
      ${
        reactions.length > 0 &&
        html`<p class="reactions" aria-label=${`Reactions: ${reactions.map((r) => r.emoji).join(' ')}`}>
        ${reactions.map((reaction) => html`<span title=${reaction.from}>${reaction.emoji}</span>`)}
      </p>`
      }
    </div>
  </li>`;
}
