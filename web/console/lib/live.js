// Keeps a view current: it reloads when the events stream says its data changed, after every reconnection (events
// sent meanwhile are lost), and on a timer while the node offers no events stream.
import { useEffect, useRef } from 'preact/hooks';
import { liveState, onEvent } from './events.js';

// Events come in bursts (a send, then sent/delivered/read for several messages): one reload per 200 ms at most.
const COALESCE_MS = 200;
const POLL_MS = 5000;

/**
 * @param {'conversation' | 'deliveries'} type
 * @param {(data: any) => boolean} concerns whether an event is about what the view shows
 * @param {(data: any) => void | Promise<void>} refresh
 */
export function useLive(type, concerns, refresh) {
  const latest = useRef({ concerns, refresh });
  latest.current = { concerns, refresh };
  useEffect(() => {
    let timer = 0;
    /** @type {any} */
    let lastData = null;
    const schedule = (/** @type {any} */ data) => {
      lastData = data;
      if (!timer) {
        timer = window.setTimeout(() => {
          timer = 0;
          latest.current.refresh(lastData);
        }, COALESCE_MS);
      }
    };
    const stops = [
      onEvent(type, (data) => latest.current.concerns(data) && schedule(data)),
      onEvent('open', () => schedule(null)),
    ];
    const poll = window.setInterval(() => liveState.get().state === 'unavailable' && schedule(null), POLL_MS);
    return () => {
      for (const stop of stops) stop();
      window.clearTimeout(timer);
      window.clearInterval(poll);
    };
  }, [type]);
}
