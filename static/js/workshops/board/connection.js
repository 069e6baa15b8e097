// The board's WebSocket: the shared protocol socket (core/socket.js: hello,
// re-sending unacknowledged changes with their `op`, pings, reconnecting with
// backoff) with the board's `hello {last_seq}`. A participant removed from the
// workshop (4403) is told so and the socket does not come back.

import { socket } from "../../core/socket.js";

export { backoff, newOp } from "../../core/socket.js";

export const CLOSED_REMOVED = 4403;

/**
 * `url`: the socket's address; `lastSeq()`: the seq to resume from; `onMessage`:
 * every parsed server message; `onStatus`: "connecting" | "open" | "reconnecting"
 * | "removed". `Socket` and `timers` are the browser's unless a test gives others.
 */
export function connection({ url, lastSeq, onMessage, onStatus, Socket, timers }) {
  return socket({
    url,
    hello: () => ({ last_seq: lastSeq() }),
    onMessage,
    onStatus: (status) => onStatus(status === "closed" ? "removed" : status),
    Socket,
    timers,
  });
}
