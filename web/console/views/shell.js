// The frame around every view once logged in: the header with the views this account may use, the live
// indicator and logout; below it the view the address names, loaded on first use.
import { useEffect, useState } from 'preact/hooks';
import { liveState } from '../lib/events.js';
import { html } from '../lib/html.js';
import { href, route, segments } from '../lib/router.js';
import { logOut, sandboxAdmin } from '../lib/session.js';
import { useStore } from '../lib/store.js';

/**
 * Each view: its address, its name in the menu, who may use it, and its module (loaded when first opened, so the
 * login screen loads none of them). What an account may not do is not offered at all; the API refuses it anyway.
 * @typedef {import('../lib/session.js').User} User
 * @type {{ path: string, label: (user: User) => string, allowed: (user: User) => boolean, load: () => Promise<any> }[]}
 */
const VIEWS = [
  {
    path: 'conversations',
    label: () => 'Conversations',
    allowed: () => true,
    load: () => import('./conversations.js'),
  },
  { path: 'deliveries', label: () => 'Webhooks', allowed: (user) => user.admin, load: () => import('./deliveries.js') },
  { path: 'templates', label: () => 'Templates', allowed: sandboxAdmin, load: () => import('./templates.js') },
  { path: 'settings', label: () => 'Settings', allowed: (user) => user.admin, load: () => import('./settings.js') },
  {
    path: 'users',
    label: (user) => (user.admin ? 'Users' : 'Account'),
    allowed: () => true,
    load: () => import('./users.js'),
  },
  { path: 'health', label: () => 'Health', allowed: () => true, load: () => import('./health.js') },
];

const LIVE_LABELS = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unavailable: 'Refreshing every 5 s',
};

/** @param {{ user: User }} props */
export function Shell({ user }) {
  const { path } = useStore(route);
  const parts = segments(path);
  const view = VIEWS.find((candidate) => candidate.path === (parts[0] ?? 'conversations'));
  const live = useStore(liveState).state;
  return html`
    <a class="skip" href="#main">Skip to content</a>
    <header class="topbar">
      <a class="brand" href=${href('conversations')}><img src="/console/icon.svg" alt="" width="24" height="24" /><span class="brand-name">OpenPrem</span></a>
      <span class=${`badge gateway-${user.gateway}`} title="The gateway this node sends through">${user.gateway}</span>
      <nav aria-label="Views">
        <ul>
          ${VIEWS.filter((candidate) => candidate.allowed(user)).map(
            (candidate) => html`<li>
            <a href=${href(candidate.path)} aria-current=${candidate === view ? 'page' : undefined}>${candidate.label(user)}</a>
          </li>`,
          )}
        </ul>
      </nav>
      <span class=${`live live-${live}`} role="status">${LIVE_LABELS[live]}</span>
      <span class="who">${user.username}<span class="role">${user.admin ? 'admin' : 'user'}</span></span>
      <button type="button" class="quiet" onClick=${logOut}>Log out</button>
    </header>
    <main id="main" tabindex="-1">
      ${
        !view
          ? html`<${Missing} text="There is no such view." />`
          : !view.allowed(user)
            ? html`<${Missing} text="This view is not available to your account on this node." />`
            : html`<${LazyView} key=${view.path} view=${view} user=${user} parts=${parts.slice(1)} />`
      }
    </main>`;
}

function Missing({ text }) {
  return html`<section class="page"><h1>Not available</h1><p>${text}</p><p><a href=${href('conversations')}>Back to the conversations</a></p></section>`;
}

/** @param {{ view: (typeof VIEWS)[number], user: User, parts: string[] }} props */
function LazyView({ view, user, parts }) {
  const [module, setModule] = useState(/** @type {any} */ (null));
  const [failed, setFailed] = useState(/** @type {unknown} */ (null));
  useEffect(() => {
    view.load().then(setModule, setFailed);
  }, [view]);
  if (failed) return html`<p class="notice error" role="alert">This view could not be loaded: ${String(failed)}</p>`;
  if (!module) return html`<p class="loading" aria-busy="true">Loading…</p>`;
  return html`<${module.default} user=${user} parts=${parts} />`;
}
