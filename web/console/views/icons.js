// Small line icons for the chat's chips, drawn in the text's colour. SVG rather than emoji: a machine without an
// emoji font shows emoji as empty boxes.
import { html } from '../lib/html.js';

const svg = (
  /** @type {any} */ paths,
) => html`<svg class="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"
  fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${paths}</svg>`;

export const ICONS = {
  document: svg(html`<path d="M14 3H6v18h12V7z" /><path d="M14 3v4h4M9 13h6M9 17h6" />`),
  image: svg(
    html`<rect x="3" y="5" width="18" height="14" rx="2" /><circle cx="9" cy="10" r="1.5" /><path d="M21 16l-5-5-8 8" />`,
  ),
  audio: svg(html`<path d="M9 18V6l11-2v12" /><circle cx="6.5" cy="18" r="2.5" /><circle cx="17.5" cy="16" r="2.5" />`),
  voice: svg(html`<rect x="9" y="3" width="6" height="11" rx="3" /><path d="M5 11a7 7 0 0 0 14 0M12 18v3" />`),
  video: svg(html`<rect x="3" y="6" width="13" height="12" rx="2" /><path d="M16 10l5-3v10l-5-3z" />`),
  location: svg(
    html`<path d="M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11z" /><circle cx="12" cy="10" r="2.5" />`,
  ),
  contact: svg(html`<circle cx="12" cy="8" r="4" /><path d="M4 21a8 8 0 0 1 16 0" />`),
  list: svg(html`<path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01" />`),
};
