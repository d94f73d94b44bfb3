// Who is logged in, kept in this module's memory only.
//
// Why not a cookie or the browser's storage (the lead's decision): the API authenticates by the Authorization
// header. A cookie would either open the whole /v1 API to cross-site request forgery (the browser attaches it to
// requests other sites make) or need a proxy turning it into a header; localStorage and sessionStorage are readable
// by any script that ever runs on this origin, for as long as the token lives. So a reload means logging in again.
import { api, ApiError, onTokenRefused, request, setToken } from './api.js';
import { createStore } from './store.js';

/**
 * @typedef {{ key: string, role: string, gateway: string, gatewayStatus?: string, description?: string,
 *   uptimeSeconds?: number }} NodeInfo
 * @typedef {{ username: string, admin: boolean, gateway: 'sandbox' | 'cloud', nodes: NodeInfo[],
 *   expiresAfter: string }} User
 * @typedef {{ user: User | null, notice: string }} Session
 */

/** `notice`: why the login screen is shown (logged out, token refused), read out on that screen. */
export const session = createStore(/** @type {Session} */ ({ user: null, notice: '' }));

onTokenRefused((error) => endSession(`Your session ended: ${error.details || error.title}. Log in again.`));

/** Thrown by logIn when the account still has its first password: the caller asks for a new one. */
export class PasswordChangeRequired extends Error {}

/**
 * POST /v1/users/login with Basic credentials; `newPassword` answers a first login's 401 / 1024.
 * @param {string} username @param {string} password @param {string} [newPassword]
 */
export async function logIn(username, password, newPassword) {
  const basic = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)))}`;
  let answer;
  try {
    answer = await request('POST', '/v1/users/login', {
      authorization: basic,
      body: newPassword ? { new_password: newPassword } : {},
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === 1024) throw new PasswordChangeRequired(error.details);
    throw error;
  }
  const { token, expires_after: expiresAfter } = answer.users[0];
  setToken(token);
  try {
    const [admin, nodes] = await Promise.all([isAdmin(), readNodes()]);
    const gateway = nodes[0]?.gateway === 'cloud' ? 'cloud' : 'sandbox';
    session.set({ user: { username, admin, gateway, nodes, expiresAfter }, notice: '' });
  } catch (error) {
    setToken(null);
    throw error;
  }
}

/** POST /v1/users/logout, then forget the token whatever the answer (the node may be gone). */
export async function logOut() {
  try {
    await api.post('/v1/users/logout');
  } catch {
    // The token is dropped below anyway; a node that cannot answer revokes nothing we could retry.
  }
  endSession('You are logged out.');
}

/** @param {string} notice */
export function endSession(notice) {
  setToken(null);
  session.set({ user: null, notice });
}

/** The role, from GET /x/v1/users/me (the login answer carries only the token). */
async function isAdmin() {
  const answer = await api.get('/x/v1/users/me');
  return answer.users[0]?.ROLES === 'ROLE_ADMIN';
}

/** The live nodes with their roles and gateway (GET /v1/support, any user): the gateway decides which views exist. */
export async function readNodes() {
  const answer = await api.get('/v1/support');
  return Object.entries(answer.support ?? {}).map(([key, node]) => ({
    key,
    role: node.role,
    gateway: node.gateway,
    gatewayStatus: node.socket_conn,
    description: node.description,
    uptimeSeconds: node.uptime_seconds,
  }));
}

/** Sandbox controls (customers, templates, writing as a customer) need both the sandbox gateway and an admin. */
export const sandboxAdmin = (/** @type {User} */ user) => user.admin && user.gateway === 'sandbox';
