// One chat's state, pure: the server's snapshot and numbered events become the
// next state. Events at or below the state's seq are repeats (a reconnect that
// overlapped) and change nothing; an event past seq + 1 means some were missed,
// so the state asks for a resync instead of applying it. Messages are keyed by
// id: nothing is shown twice, whatever order a resync and a live event arrive in.

export function initialState(fields = {}) {
  return { seq: 0, chat: {}, messages: [], typing: false, synced: false, gap: false, applied: [], ...fields };
}

function withMessage(messages, message) {
  if (!message || messages.some((m) => m.id === message.id)) return messages;
  return [...messages, message].sort((a, b) => a.id - b.id);
}

/** Apply one event's meaning (no seq bookkeeping). */
export function applyEvent(state, e) {
  const chat = { ...state.chat };
  let messages = state.messages;
  let typing = state.typing;
  switch (e.type) {
    case "message.sent":
      messages = withMessage(messages, e.message);
      if (e.message && e.message.author !== "resident") typing = false;
      break;
    case "chat.accepted":
      chat.status = "active";
      chat.advisor_name = e.advisor_name ?? chat.advisor_name;
      chat.queue_position = null;
      chat.estimated_wait_s = null;
      break;
    case "chat.transferred":
      chat.status = e.status ?? "queued";
      chat.advisor_name = e.advisor_name ?? (chat.status === "queued" ? "" : chat.advisor_name);
      typing = false;
      break;
    case "chat.closed":
      chat.status = "closed";
      typing = false;
      break;
    case "queue.position":
      chat.queue_position = e.position;
      chat.estimated_wait_s = e.estimated_wait_s;
      break;
    case "typing":
      typing = e.author !== "resident";
      break;
    default:
      break;
  }
  return { ...state, chat, messages, typing };
}

/** The next state after one server message (`snapshot` or `event`). */
export function reduce(state, message) {
  if (message.type === "snapshot") {
    return initialState({
      seq: message.seq,
      chat: { ...message.chat },
      messages: [...(message.messages || [])].sort((a, b) => a.id - b.id),
      synced: true,
      applied: [{ type: "snapshot" }],
    });
  }
  if (message.type === "typing") return { ...applyEvent(state, { type: "typing", ...message }), applied: [] };
  if (message.type !== "event") return { ...state, applied: [] };
  const e = message.event || {};
  // Not numbered (typing, queue position): applied as they come.
  if (message.seq === undefined || message.seq === null) return { ...applyEvent(state, e), applied: [e] };
  if (message.seq <= state.seq) return { ...state, applied: [] };
  if (message.seq > state.seq + 1) return { ...state, gap: true, applied: [] };
  return { ...applyEvent(state, e), seq: message.seq, gap: false, applied: [e] };
}

/** Whole minutes of an estimate in seconds, at least 1. */
export const waitMinutes = (seconds) => Math.max(1, Math.ceil((seconds || 0) / 60));
