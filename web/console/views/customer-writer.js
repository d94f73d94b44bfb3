// Writing AS the customer (POST /sandbox/inbound): text, an image or a file, a tap on the business's last buttons
// or list, a location, a reaction. The business's webhook receives each as WhatsApp would deliver it.
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { fieldErrors } from '../lib/field-errors.js';
import { html } from '../lib/html.js';
import { previewText } from './content.js';
import { ErrorNotice, SelectField, StatusNotice, TextField } from './ui.js';

const KINDS = /** @type {[string, string][]} */ ([
  ['text', 'Text'],
  ['file', 'Image or file'],
  ['reply', 'Reply to buttons or list'],
  ['location', 'Location'],
  ['reaction', 'Reaction'],
]);
const EMOJIS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
const LOCATION_FIELDS = ['location.latitude', 'location.longitude', 'location.name', 'location.address'];

/** @param {{ waId: string, messages: any[], onSent: () => void }} props */
export function CustomerWriter({ waId, messages, onSent }) {
  const [kind, setKind] = useState('text');
  const [errors, setErrors] = useState(/** @type {Record<string, string>} */ ({}));
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  /** @param {Record<string, unknown>} body the message without `from` @param {string[]} [fields] */
  async function send(body, fields = []) {
    setBusy(true);
    setStatus('');
    try {
      await api.post('/sandbox/inbound', { from: waId, ...body });
      setErrors({});
      setStatus('Sent as the customer.');
      onSent();
      return true;
    } catch (failure) {
      setErrors(fieldErrors(failure, fields));
      return false;
    } finally {
      setBusy(false);
    }
  }

  const props = { send, errors, busy, messages };
  return html`<section class="writer" aria-labelledby="writer-title">
    <h4 id="writer-title">Write as the customer</h4>
    <${SelectField} label="What the customer sends" value=${kind} options=${KINDS} onChange=${(value) => {
      setKind(value);
      setErrors({});
    }} />
    ${kind === 'text' && html`<${TextWriter} ...${props} />`}
    ${kind === 'file' && html`<${FileWriter} ...${props} />`}
    ${kind === 'reply' && html`<${ReplyWriter} ...${props} />`}
    ${kind === 'location' && html`<${LocationWriter} ...${props} />`}
    ${kind === 'reaction' && html`<${ReactionWriter} ...${props} />`}
    <${ErrorNotice} error=${errors['']} />
    <${StatusNotice} text=${status} />
  </section>`;
}

function TextWriter({ send, busy }) {
  const [body, setBody] = useState('');
  const submit = async (/** @type {Event} */ event) => {
    event.preventDefault();
    if (await send({ type: 'text', text: { body } })) setBody('');
  };
  return html`<form onSubmit=${submit}>
    <${TextField} label="Customer's message" multiline rows="3" value=${body} onInput=${setBody} />
    <button type="submit" disabled=${busy || !body.trim()}>Send as the customer</button>
  </form>`;
}

function FileWriter({ send, busy }) {
  const [file, setFile] = useState(/** @type {File | null} */ (null));
  const [caption, setCaption] = useState('');
  const submit = async (/** @type {Event} */ event) => {
    event.preventDefault();
    if (!file) return;
    const kind = mediaKind(file.type);
    const media = {
      data: await base64Of(file),
      ...(caption && kind !== 'audio' ? { caption } : {}),
      ...(kind === 'document' ? { filename: file.name, ...(file.type ? { mime_type: file.type } : {}) } : {}),
    };
    if (await send({ type: kind, [kind]: media })) setCaption('');
  };
  return html`<form onSubmit=${submit}>
    <div class="field">
      <label for="writer-file">File (JPEG or PNG images are sent as photos)</label>
      <input id="writer-file" type="file" onChange=${(/** @type {any} */ event) => setFile(event.currentTarget.files?.[0] ?? null)} />
    </div>
    <${TextField} label="Caption (optional)" value=${caption} onInput=${setCaption} />
    <button type="submit" disabled=${busy || !file}>Send as the customer</button>
  </form>`;
}

/** A tap on one of the business's last buttons or list rows, quoting that message as WhatsApp does. */
function ReplyWriter({ send, busy, messages }) {
  const last = [...messages]
    .reverse()
    .find(
      (m) =>
        m.direction === 'outbound' &&
        m.type === 'interactive' &&
        (m.content?.action?.buttons || m.content?.action?.sections),
    );
  if (!last) return html`<p class="muted">The business has sent no buttons or list in this chat yet.</p>`;
  const action = last.content.action;
  const choices = action.buttons
    ? action.buttons.map((/** @type {any} */ button) => ({
        type: 'button_reply',
        id: button.reply.id,
        title: button.reply.title,
      }))
    : action.sections.flatMap((/** @type {any} */ section) =>
        (section.rows ?? []).map((/** @type {any} */ row) => ({
          type: 'list_reply',
          id: row.id,
          title: row.title,
          ...(row.description ? { description: row.description } : {}),
        })),
      );
  const tap = ({ type, ...reply }) =>
    send({ type: 'interactive', interactive: { type, [type]: reply }, context: { id: last.id } });
  return html`<div>
    <p class="muted">Answering “${previewText(last)}”:</p>
    <ul class="choices">${choices.map(
      (choice) => html`<li>
      <button type="button" disabled=${busy} onClick=${() => tap(choice)}>${choice.title}</button>
    </li>`,
    )}</ul>
  </div>`;
}

function LocationWriter({ send, busy, errors }) {
  const [place, setPlace] = useState({ latitude: '37.4848', longitude: '-122.1484', name: '', address: '' });
  const set = (/** @type {string} */ key) => (/** @type {string} */ value) => setPlace({ ...place, [key]: value });
  const submit = (/** @type {Event} */ event) => {
    event.preventDefault();
    const location = {
      latitude: Number(place.latitude),
      longitude: Number(place.longitude),
      ...(place.name ? { name: place.name } : {}),
      ...(place.address ? { address: place.address } : {}),
    };
    send({ type: 'location', location }, LOCATION_FIELDS);
  };
  return html`<form onSubmit=${submit} class="grid-2">
    <${TextField} label="Latitude" inputmode="decimal" value=${place.latitude} onInput=${set('latitude')} error=${errors['location.latitude']} />
    <${TextField} label="Longitude" inputmode="decimal" value=${place.longitude} onInput=${set('longitude')} error=${errors['location.longitude']} />
    <${TextField} label="Name (optional)" value=${place.name} onInput=${set('name')} error=${errors['location.name']} />
    <${TextField} label="Address (optional)" value=${place.address} onInput=${set('address')} error=${errors['location.address']} />
    <button type="submit" disabled=${busy}>Send the location</button>
  </form>`;
}

function ReactionWriter({ send, busy, messages }) {
  const targets = messages
    .filter((m) => m.type !== 'reaction' && m.type !== 'system')
    .slice(-10)
    .reverse();
  const [target, setTarget] = useState(targets.find((m) => m.direction === 'outbound')?.id ?? targets[0]?.id ?? '');
  if (!targets.length) return html`<p class="muted">There is no message to react to yet.</p>`;
  const react = (/** @type {string} */ emoji) => send({ type: 'reaction', reaction: { message_id: target, emoji } });
  return html`<div>
    <${SelectField} label="Message" value=${target} onChange=${setTarget}
      options=${targets.map((m) => [m.id, `${m.direction === 'outbound' ? 'Business' : 'Customer'}: ${previewText(m).slice(0, 40)}`])} />
    <div class="emoji-row" role="group" aria-label="React with">
      ${EMOJIS.map((emoji) => html`<button type="button" class="emoji" disabled=${busy} aria-label=${`React with ${emoji}`} onClick=${() => react(emoji)}>${emoji}</button>`)}
      <button type="button" class="quiet small" disabled=${busy} onClick=${() => react('')}>Remove</button>
    </div>
  </div>`;
}

/** How WhatsApp would carry a file of this type: JPEG and PNG as photos, audio, MP4/3GPP video, anything else a document. */
function mediaKind(/** @type {string} */ mimeType) {
  if (mimeType === 'image/jpeg' || mimeType === 'image/png') return 'image';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType === 'video/mp4' || mimeType === 'video/3gpp') return 'video';
  return 'document';
}

async function base64Of(/** @type {File} */ file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In 32 KB slices: String.fromCharCode with millions of arguments overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
