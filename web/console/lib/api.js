// The API client. Every call carries the session's bearer token in the Authorization header, and every error comes
// back as an ApiError holding the envelope's first error: its WhatsApp code, title and details.

export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status, 0 when the node did not answer
   * @param {{ code?: number, title?: string, details?: string } | undefined} first the envelope's first error
   */
  constructor(status, first) {
    const title = first?.title ?? (status ? `HTTP ${status}` : 'The node did not answer');
    super(first?.details ? `${title}: ${first.details}` : title);
    this.status = status;
    this.code = first?.code ?? null;
    this.title = title;
    this.details = first?.details ?? '';
  }
}

/** @type {string | null} */
let token = null;
/** @type {(error: ApiError) => void} */
let onUnauthorized = () => {};

/** @param {string | null} next */
export function setToken(next) {
  token = next;
}

/** @param {(error: ApiError) => void} handler called when a call made with the token is answered 401 */
export function onTokenRefused(handler) {
  onUnauthorized = handler;
}

/**
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, authorization?: string, raw?: boolean, signal?: AbortSignal }} [options]
 *   authorization: instead of the token (the login's Basic credentials); raw: answer the Response itself.
 */
export async function request(method, path, { body, authorization, raw = false, signal } = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  const sentToken = token;
  if (authorization) headers.authorization = authorization;
  else if (sentToken) headers.authorization = `Bearer ${sentToken}`;
  /** @type {RequestInit} */
  const init = { method, headers, signal, cache: 'no-store' };
  if (body instanceof Blob) {
    headers['content-type'] = body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, undefined);
  }
  if (!response.ok) {
    const failure = new ApiError(response.status, (await readJson(response))?.errors?.[0]);
    // Only a refusal of the token still in use ends the session: a late answer to a call made before a new login
    // must not log the new session out.
    if (response.status === 401 && sentToken && !authorization && sentToken === token) onUnauthorized(failure);
    throw failure;
  }
  return raw ? response : readJson(response);
}

/** @param {Response} response */
async function readJson(response) {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const api = {
  /** @param {string} path */
  get: (path, options = {}) => request('GET', path, options),
  /** @param {string} path @param {unknown} [body] */
  post: (path, body) => request('POST', path, { body }),
  /** @param {string} path @param {unknown} body */
  patch: (path, body) => request('PATCH', path, { body }),
  /** @param {string} path @param {unknown} body */
  put: (path, body) => request('PUT', path, { body }),
  /** @param {string} path */
  delete: (path) => request('DELETE', path),
};

/** A file the API serves (media), as a blob: URL the page may show; the caller revokes it. */
export async function fetchObjectUrl(/** @type {string} */ path) {
  const response = await request('GET', path, { raw: true });
  return URL.createObjectURL(await response.blob());
}

/** A path segment, encoded. */
export const segment = (/** @type {string} */ value) => encodeURIComponent(value);
