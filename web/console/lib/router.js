// Addresses below /console/ name the views (/console/deliveries, /console/conversations/16315551234), so a view
// can be bookmarked and the browser's back button works; the node answers index.html for all of them.
import { createStore } from './store.js';

const BASE = '/console/';

/** The path below /console/, without slashes at either end: '' (home), 'conversations/16315551234'… */
export const route = createStore({ path: currentPath() });

function currentPath() {
  const { pathname } = window.location;
  if (!pathname.startsWith(BASE)) return '';
  return pathname.slice(BASE.length).replace(/\/+$/, '');
}

/** @param {string} path below /console/ @param {{ replace?: boolean }} [options] */
export function navigate(path, { replace = false } = {}) {
  if (path === route.get().path) return;
  window.history[replace ? 'replaceState' : 'pushState'](null, '', BASE + path);
  route.set({ path });
}

/** The path's segments, decoded: 'templates/ns/name/en' → ['templates', 'ns', 'name', 'en']. */
export const segments = (/** @type {string} */ path) => path.split('/').filter(Boolean).map(decodeURIComponent);

/** An href for a view: href('conversations', waId). */
export const href = (/** @type {string[]} */ ...parts) => BASE + parts.map(encodeURIComponent).join('/');

window.addEventListener('popstate', () => route.set({ path: currentPath() }));

// Plain links between views change the view without reloading the page (a reload would end the session: the
// token lives in memory only). Modified clicks (new tab, download) keep the browser's behaviour.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  const link = /** @type {Element} */ (event.target).closest?.('a[href]');
  if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) return;
  if (link.getAttribute('href')?.startsWith('#')) return;
  const url = new URL(link.href);
  if (url.origin !== window.location.origin || !url.pathname.startsWith(BASE)) return;
  event.preventDefault();
  navigate(url.pathname.slice(BASE.length).replace(/\/+$/, ''));
});
