// The console's entry: the login screen while nobody is logged in, the views afterwards.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { startEvents } from './lib/events.js';
import { html } from './lib/html.js';
import { session } from './lib/session.js';
import { useStore } from './lib/store.js';
import { Login } from './views/login.js';
import { Shell } from './views/shell.js';

function App() {
  const { user, notice } = useStore(session);
  // One events stream per session, closed at logout.
  useEffect(() => (user ? startEvents() : undefined), [user]);
  return user ? html`<${Shell} user=${user} />` : html`<${Login} notice=${notice} />`;
}

render(html`<${App} />`, /** @type {HTMLElement} */ (document.getElementById('app')));
