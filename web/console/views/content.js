// What a message says, drawn as WhatsApp draws it: text with its line breaks, image thumbnails, file chips,
// templates filled in, interactive buttons and lists, locations and contact cards.
import { useEffect, useState } from 'preact/hooks';
import { fetchObjectUrl, segment } from '../lib/api.js';
import { html } from '../lib/html.js';
import { sandboxAdmin } from '../lib/session.js';
import { fetchTemplate, fill, sendOf } from '../lib/templates.js';
import { ICONS } from './icons.js';

const FILE_ICONS = {
  document: ICONS.document,
  audio: ICONS.audio,
  voice: ICONS.voice,
  video: ICONS.video,
  image: ICONS.image,
  sticker: ICONS.image,
};

/** One line saying what a message is: for the conversation list and for quoted replies. */
export function previewText(/** @type {any} */ message) {
  const c = message.content ?? {};
  switch (message.type) {
    case 'text':
      return c.body ?? '';
    case 'image':
      return c.caption ?? 'Photo';
    case 'sticker':
      return 'Sticker';
    case 'video':
      return c.caption ?? 'Video';
    case 'audio':
      return 'Audio';
    case 'voice':
      return 'Voice message';
    case 'document':
      return c.filename ?? c.caption ?? 'Document';
    case 'template':
      return `Template ${c.name ?? ''}`.trim();
    case 'hsm':
      return `Template ${c.element_name ?? ''}`.trim();
    case 'interactive':
      return c.body?.text ?? c.button_reply?.title ?? c.list_reply?.title ?? 'Interactive message';
    case 'button':
      return c.text ?? '';
    case 'location':
      return c.name ?? 'Location';
    case 'contacts':
      return (
        (Array.isArray(c) ? c : [])
          .map((card) => card.name?.formatted_name)
          .filter(Boolean)
          .join(', ') || 'Contact'
      );
    case 'reaction':
      return c.emoji ? `Reacted ${c.emoji}` : 'Removed a reaction';
    default:
      return `[${message.type}]`;
  }
}

/**
 * Where a media message's file can be fetched by this user: the view's media_url (on the sandbox an admin-only copy
 * as the customer got it), else the media id's GET /v1/media/{id}, which any user may read.
 */
function mediaPath(/** @type {any} */ message, /** @type {any} */ user) {
  if (message.media_url && (!message.media_url.startsWith('/sandbox/') || sandboxAdmin(user))) return message.media_url;
  return message.content?.id ? `/v1/media/${segment(message.content.id)}` : null;
}

/** @param {{ message: any, user: any }} props */
export function MessageContent({ message, user }) {
  const c = message.content ?? {};
  switch (message.type) {
    case 'text':
      return html`<p class="text">${c.body}</p>`;
    case 'image':
    case 'sticker':
      return html`<${Thumbnail} message=${message} user=${user} />${caption(c)}`;
    case 'video':
    case 'audio':
    case 'voice':
    case 'document':
      return html`<${FileChip} message=${message} user=${user} />${caption(c)}`;
    case 'template':
    case 'hsm':
      return html`<${TemplateContent} message=${message} user=${user} />`;
    case 'interactive':
      return html`<${InteractiveContent} content=${c} />`;
    case 'button':
      return html`<p class="text">${c.text}</p>`;
    case 'location':
      return html`<${LocationContent} location=${c} />`;
    case 'contacts':
      return html`<${ContactCards} cards=${Array.isArray(c) ? c : []} />`;
    case 'system':
      return html`<p class="text system">${c.body ?? c.type}</p>`;
    case 'unknown':
      return html`<p class="text muted">This message type is not supported.</p>`;
    default:
      return html`<p class="text muted">[${message.type}]</p>`;
  }
}

const caption = (/** @type {any} */ c) => c.caption && html`<p class="text">${c.caption}</p>`;

/** An image or sticker, fetched with the token and shown from a blob: URL (an <img src> cannot send the header). */
function Thumbnail({ message, user }) {
  const path = mediaPath(message, user);
  const [url, setUrl] = useState(/** @type {string | null} */ (null));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!path) return undefined;
    let objectUrl = '';
    let gone = false;
    fetchObjectUrl(path).then(
      (made) => {
        if (gone) URL.revokeObjectURL(made);
        else {
          objectUrl = made;
          setUrl(made);
        }
      },
      () => setFailed(true),
    );
    return () => {
      gone = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [path]);
  if (!path || failed) return html`<${FileChip} message=${message} user=${user} />`;
  const alt = message.content?.caption || (message.type === 'sticker' ? 'Sticker' : 'Image');
  return url
    ? html`<img class=${`thumbnail ${message.type}`} src=${url} alt=${alt} />`
    : html`<span class=${`thumbnail placeholder ${message.type}`} role="img" aria-label=${`${alt}, loading`}></span>`;
}

/** A file's chip: icon, name or type, and a download button when the file can be fetched. */
function FileChip({ message, user }) {
  const c = message.content ?? {};
  const path = mediaPath(message, user);
  const name = c.filename ?? c.mime_type ?? message.type;
  async function download() {
    const url = await fetchObjectUrl(/** @type {string} */ (path));
    const link = Object.assign(document.createElement('a'), {
      href: url,
      download: c.filename ?? `${message.type}-${message.id}`,
    });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return html`<div class="chip">
    <span class="chip-icon">${FILE_ICONS[message.type] ?? ICONS.document}</span>
    <span class="chip-name">${name}${c.status === 'undownloaded' ? ' (not downloaded)' : ''}</span>
    ${path && html`<button type="button" class="quiet small" onClick=${download} aria-label=${`Download ${name}`}>Download</button>`}
  </div>`;
}

function TemplateContent({ message, user }) {
  const send = sendOf(message.type, message.content ?? {});
  const [template, setTemplate] = useState(/** @type {any} */ (undefined));
  useEffect(() => {
    if (!sandboxAdmin(user)) return setTemplate(null);
    let gone = false;
    fetchTemplate(send.namespace, send.name, send.language).then((found) => !gone && setTemplate(found));
    return () => {
      gone = true;
    };
  }, [send.namespace, send.name, send.language]);
  if (!template) {
    return html`<div class="template">
      <p class="template-name">Template ${send.name} <span class="muted">(${send.language})</span></p>
      ${send.body.length > 0 && html`<ol class="template-params">${send.body.map((value) => html`<li>${value}</li>`)}</ol>`}
    </div>`;
  }
  const { header, body, footer, buttons = [] } = template.components;
  return html`<div class="template">
    ${header && (header.format === 'TEXT' ? html`<p class="header">${fill(header.text ?? '', send.header)}</p>` : html`<p class="muted">[${header.format.toLowerCase()}]</p>`)}
    <p class="text">${fill(body.text, send.body)}</p>
    ${footer && html`<p class="footer">${footer.text}</p>`}
    ${buttons.length > 0 && html`<ul class="buttons">${buttons.map((button) => html`<li>${button.text}</li>`)}</ul>`}
  </div>`;
}

function InteractiveContent({ content }) {
  const reply = content.button_reply ?? content.list_reply;
  if (reply)
    return html`<p class="text">${reply.title}${reply.description ? html`<br /><span class="muted">${reply.description}</span>` : ''}</p>`;
  const action = content.action ?? {};
  return html`<div class="interactive">
    ${content.header?.text && html`<p class="header">${content.header.text}</p>`}
    ${content.body?.text && html`<p class="text">${content.body.text}</p>`}
    ${content.footer?.text && html`<p class="footer">${content.footer.text}</p>`}
    ${action.buttons && html`<ul class="buttons">${action.buttons.map((button) => html`<li>${button.reply?.title ?? button.title}</li>`)}</ul>`}
    ${
      action.sections &&
      html`<details class="list">
      <summary>${ICONS.list} ${action.button ?? 'Options'}</summary>
      ${action.sections.map(
        (section) => html`<div>
        ${section.title && html`<p class="muted">${section.title}</p>`}
        <ul>${(section.rows ?? []).map((row) => html`<li>${row.title}${row.description && html`<br /><span class="muted">${row.description}</span>`}</li>`)}</ul>
      </div>`,
      )}
    </details>`
    }
  </div>`;
}

function LocationContent({ location }) {
  return html`<div class="location">
    <span class="chip-icon">${ICONS.location}</span>
    <div>
      ${location.name && html`<p class="header">${location.name}</p>`}
      ${location.address && html`<p>${location.address}</p>`}
      <p class="muted">${location.latitude}, ${location.longitude}</p>
    </div>
  </div>`;
}

function ContactCards({ cards }) {
  return html`<ul class="contacts">${cards.map(
    (card) => html`<li>
    <span class="chip-icon">${ICONS.contact}</span>
    <span><strong>${card.name?.formatted_name ?? 'Contact'}</strong>
      ${(card.phones ?? []).map((entry) => html`<br /><span class="muted">${entry.phone}</span>`)}</span>
  </li>`,
  )}</ul>`;
}
