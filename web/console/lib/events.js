// The node's live events (GET /x/v1/events, text/event-stream), read with fetch() rather than EventSource:
// EventSource cannot send the Authorization header, and a token in the URL would end up in logs and history.
//   event: conversation  data {"wa_id","ids":[…]}   a conversation changed (new message or status), on any node
//   event: deliveries    data {"pending","failed","delivered","oldest_pending_age_seconds"}
// After a reconnection the views reload what they show ('open' below), since events sent meanwhile are lost.
import { ApiError, request } from './api.js';
import { createStore } from './store.js';

/** 'connecting' | 'live' | 'reconnecting' | 'unavailable' (this node has no events route: views poll instead). */
export const liveState = createStore({ state: 'connecting' });

/** @type {Map<string, Set<(data: any) => void>>} */
const handlers = new Map();

/**
 * Calls `handler` with each event's parsed data; 'open' is called on each (re)connection. Answers the unsubscribe.
 * @param {'conversation' | 'deliveries' | 'open'} type @param {(data: any) => void} handler
 */
export function onEvent(type, handler) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type)?.add(handler);
  return () => handlers.get(type)?.delete(handler);
}

function emit(/** @type {string} */ type, /** @type {unknown} */ data) {
  for (const handler of handlers.get(type) ?? []) handler(data);
}

// Reconnection waits 1 s, doubling to 15 s: a node restart is back within seconds, and a dead one is not hammered.
const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 15_000;

/** Opens the stream for the logged-in session and keeps it open until the returned function is called. */
export function startEvents() {
  const controller = new AbortController();
  let retryMs = FIRST_RETRY_MS;
  (async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await request('GET', '/x/v1/events', { raw: true, signal: controller.signal });
        liveState.set({ state: 'live' });
        retryMs = FIRST_RETRY_MS;
        emit('open', null);
        await readStream(/** @type {Response} */ (response), controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 401 || error.status === 404 || error.status === 403)) {
          liveState.set({ state: 'unavailable' });
          return;
        }
      }
      liveState.set({ state: 'reconnecting' });
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
    }
  })();
  return () => {
    controller.abort();
    liveState.set({ state: 'connecting' });
  };
}

/** @param {Response} response @param {AbortSignal} signal */
async function readStream(response, signal) {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true });
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

/** One event block: `event:` names it, `data:` lines carry JSON; comments (keep-alives) start with ':'. */
function dispatch(/** @type {string} */ block) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length) return;
  try {
    emit(type, JSON.parse(data.join('\n')));
  } catch {
    // A line that is not JSON is not one of the events above.
  }
}
