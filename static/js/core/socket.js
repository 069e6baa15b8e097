// The protocol socket every live page uses (the board, the advice chat and desk):
// connects, says its `hello` (built by the page: `{last_seq}` for one stream,
// `{chats: {id: last_seq}}` for the desk) so the server sends a snapshot or the
// missed events, re-sends the changes it has not acknowledged with the same
// `op` (the server applies each once), pings, and reconnects with backoff. It
// knows nothing of what the messages mean beyond `ack` and `error {op}`.
// The board's connection (workshops/board/connection.js) wraps it with a fixed
// `hello {last_seq}`.

export const CLOSED_FOR_GOOD = [4403, 4404]; // removed / not found: do not come back
const PING_EVERY = 25000;

/** Milliseconds before reconnect attempt `attempt` (0, 1, …): 0.25–10 s, jittered. */
export const backoff = (attempt, random = Math.random()) =>
  Math.min(10000, 500 * 2 ** attempt) * (0.5 + random / 2);

export function newOp() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * `url`: the socket's address; `hello()`: the hello message's fields;
 * `onMessage`: every parsed server message; `onStatus`: "connecting" | "open" |
 * "reconnecting" | "closed". `Socket`, `timers` and `now` are the browser's
 * unless a test gives others.
 */
export function socket({ url, hello, onMessage, onStatus, Socket = globalThis.WebSocket, timers = globalThis, now = Date.now }) {
  const pending = new Map(); // op -> change not yet acknowledged, in sending order
  let ws = null;
  let attempt = 0;
  let stopped = false;
  let heard = 0;
  let pinger = null;

  const isOpen = () => !!ws && ws.readyState === Socket.OPEN;
  const send = (message) => {
    if (isOpen()) ws.send(JSON.stringify(message));
  };

  function open() {
    if (stopped) return;
    onStatus("connecting");
    const current = new Socket(url);
    ws = current;
    current.addEventListener("open", () => {
      attempt = 0;
      heard = now();
      onStatus("open");
      send({ type: "hello", ...hello() });
      for (const message of pending.values()) send(message);
      pinger = timers.setInterval(ping, PING_EVERY);
    });
    current.addEventListener("message", (e) => {
      heard = now();
      let message;
      try {
        message = JSON.parse(e.data);
      } catch {
        return; // not ours
      }
      if (message.type === "ack" || (message.type === "error" && message.op)) pending.delete(message.op);
      onMessage(message);
    });
    current.addEventListener("close", (e) => lost(current, e.code));
  }

  // Silent through two pings: dead even if the browser has not noticed.
  function ping() {
    if (now() - heard > 2 * PING_EVERY + 5000) lost(ws, 1006, true);
    else send({ type: "ping" });
  }

  function lost(which, code, abandon = false) {
    if (which !== ws) return; // an older socket closing late
    timers.clearInterval(pinger);
    ws = null;
    if (abandon) which.close();
    if (CLOSED_FOR_GOOD.includes(code)) stopped = true;
    if (stopped) {
      onStatus("closed");
      return;
    }
    onStatus("reconnecting");
    timers.setTimeout(open, backoff(attempt));
    attempt += 1;
  }

  return {
    start: open,
    isOpen,
    /** A control message (`hello`, `typing`, `ping`): sent now or not at all. */
    send,
    /** A change: kept until acknowledged, re-sent with the same op after a reconnect. */
    change(type, fields = {}) {
      const message = { type, op: newOp(), ...fields };
      pending.set(message.op, message);
      send(message);
      return message.op;
    },
    pendingCount: () => pending.size,
    stop() {
      stopped = true;
      if (ws) ws.close();
    },
  };
}
