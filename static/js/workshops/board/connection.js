// The board's WebSocket: connects, says `hello {last_seq}` so the server sends a
// snapshot or the missed events, re-sends the changes it has not acknowledged
// (the server applies each `op` once), pings, and reconnects with backoff. It
// knows nothing of what the messages mean beyond `ack` and `error {op}`.

export const CLOSED_REMOVED = 4403; // the participant was removed: do not come back
const PING_EVERY = 25000;

/** Milliseconds before reconnect attempt `attempt` (0, 1, …): 0.25–10 s, jittered. */
export const backoff = (attempt, random = Math.random()) =>
  Math.min(10000, 500 * 2 ** attempt) * (0.5 + random / 2);

export function newOp() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * `url`: the socket's address; `lastSeq()`: the seq to resume from; `onMessage`:
 * every parsed server message; `onStatus`: "connecting" | "open" | "reconnecting"
 * | "removed". `Socket` and `timers` are the browser's unless a test gives others.
 */
export function connection({ url, lastSeq, onMessage, onStatus, Socket = globalThis.WebSocket, timers = globalThis }) {
  const pending = new Map(); // op -> change not yet acknowledged
  let socket = null;
  let attempt = 0;
  let stopped = false;
  let heard = 0; // when the server last said anything
  let pinger = null;

  const isOpen = () => !!socket && socket.readyState === Socket.OPEN;
  const send = (message) => {
    if (isOpen()) socket.send(JSON.stringify(message));
  };

  function open() {
    if (stopped) return;
    onStatus("connecting");
    const ws = new Socket(url);
    socket = ws;
    ws.addEventListener("open", () => {
      attempt = 0;
      heard = Date.now();
      onStatus("open");
      send({ type: "hello", last_seq: lastSeq() });
      for (const message of pending.values()) send(message);
      pinger = timers.setInterval(ping, PING_EVERY);
    });
    ws.addEventListener("message", (e) => {
      heard = Date.now();
      const message = JSON.parse(e.data);
      if (message.type === "ack" || (message.type === "error" && message.op)) {
        pending.delete(message.op);
      }
      onMessage(message);
    });
    ws.addEventListener("close", (e) => lost(ws, e.code));
  }

  // A socket that stays silent through two pings is dead even if the browser
  // has not noticed: give up on it and connect again.
  function ping() {
    if (Date.now() - heard > 2 * PING_EVERY + 5000) lost(socket, 1006, true);
    else send({ type: "ping" });
  }

  function lost(ws, code, abandon = false) {
    if (ws !== socket) return; // an older socket closing late
    timers.clearInterval(pinger);
    socket = null;
    if (abandon) ws.close();
    if (code === CLOSED_REMOVED) stopped = true;
    if (stopped) {
      onStatus("removed");
      return;
    }
    onStatus("reconnecting");
    timers.setTimeout(open, backoff(attempt));
    attempt += 1;
  }

  return {
    start: open,
    isOpen,
    /** A control message (`hello`, `ping`): sent now or not at all. */
    send,
    /** A change: kept until acknowledged, re-sent after a reconnect. */
    change(type, fields = {}) {
      const message = { type, op: newOp(), ...fields };
      pending.set(message.op, message);
      send(message);
      return message.op;
    },
    stop() {
      stopped = true;
      if (socket) socket.close();
    },
  };
}
