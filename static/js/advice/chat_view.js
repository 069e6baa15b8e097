// The resident's chat as a live component: the same markup the server renders
// (templates/advice/includes/chat_body.html), taken over by the chat protocol.
// Used by the full page (chat.js) and by the chat button's panel (button.js).
// Messages are built as DOM nodes (links.js), never HTML from what anyone typed.

import { socket } from "../core/socket.js";
import { appendLinked } from "./links.js";
import { initialState, reduce, waitMinutes } from "./state.js";

const fmt = (text, values) => String(text ?? "").replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
const TYPING_PAUSE = 3000; // ms between two typing notes while writing
const TYPING_SHOWN = 6000; // ms an indicator stays without a new note

export function announcer(region, keep = 5) {
  return (text) => {
    const line = region.ownerDocument.createElement("p");
    line.textContent = text;
    region.append(line);
    while (region.childElementCount > keep) region.firstElementChild.remove();
  };
}

function who(message, T) {
  if (message.author === "resident") return T.you;
  if (message.author === "system") return T.system;
  return message.name || T.advisor;
}

export function messageItem(doc, message, T) {
  const li = doc.createElement("li");
  li.className = `advice-message advice-message--${message.author}`;
  li.dataset.id = String(message.id);
  const head = doc.createElement("p");
  head.className = "advice-message__who";
  const name = doc.createElement("span");
  name.textContent = who(message, T);
  head.append(name);
  if (message.sent_at) {
    const time = doc.createElement("time");
    time.dateTime = message.sent_at;
    const at = new Date(message.sent_at);
    // As the server writes it (`H.i`), so a message looks the same after a reload.
    const two = (n) => String(n).padStart(2, "0");
    time.textContent = Number.isNaN(at.getTime()) ? "" : `${two(at.getHours())}.${two(at.getMinutes())}`;
    head.append(" ", time);
  }
  const text = doc.createElement("p");
  text.className = "advice-message__text";
  text.dir = "auto";
  appendLinked(text, message.text);
  li.append(head, text);
  return li;
}

/** Take over the chat component `root`; returns a handle to stop it. */
export function mountChat(root, { Socket = globalThis.WebSocket } = {}) {
  const doc = root.ownerDocument;
  const part = (name) => root.querySelector(`[data-part="${name}"]`);
  const T = JSON.parse(root.querySelector("script[id^=advice-chat-strings]").textContent);
  const say = announcer(part("announcer"));
  const list = part("messages");
  const composer = part("composer");
  const textarea = composer ? composer.querySelector("textarea") : null;
  // The page's own snapshot (the same the socket sends): the live state starts
  // from what is on the screen, and `hello` asks only for what came after it.
  const snapshot = JSON.parse(root.querySelector("script[id^=advice-chat-snapshot]").textContent);
  let state = reduce(initialState(), snapshot);
  let lastTyping = 0;
  let typingTimer = null;

  const setConnection = (text) => {
    part("connection").textContent = text;
  };

  function render(prev) {
    const chat = state.chat;
    root.dataset.status = chat.status || root.dataset.status;
    part("status").textContent = T.statuses[chat.status] || chat.status || "";
    const queued = chat.status === "queued" && chat.queue_position;
    part("queue").hidden = !queued;
    if (queued) {
      part("position").textContent = String(chat.queue_position);
      part("wait").textContent = fmt(T.waitMinutes, { n: waitMinutes(chat.estimated_wait_s) });
    }
    part("advisor").textContent = chat.advisor_name || "–";
    part("typing").hidden = !state.typing || chat.status !== "active";
    const closed = chat.status === "closed";
    if (composer) composer.hidden = closed;
    const ending = part("ending");
    if (ending) ending.hidden = !closed;
    const closeForm = part("close");
    if (closeForm) closeForm.hidden = closed;
    // Messages: the list follows the state by id; nothing is built twice.
    const shown = new Set([...list.children].map((li) => li.dataset.id));
    const wanted = new Set(state.messages.map((m) => String(m.id)));
    for (const li of [...list.children]) if (!wanted.has(li.dataset.id)) li.remove();
    for (const message of state.messages) {
      if (shown.has(String(message.id))) continue;
      list.append(messageItem(doc, message, T));
      if (prev.synced && message.author !== "resident") say(fmt(T.newMessage, { name: who(message, T) }));
    }
    // The list scrolls to the newest message by itself; the page does not move.
    if (shown.size !== wanted.size) list.scrollTop = list.scrollHeight;
    clearTimeout(typingTimer);
    if (state.typing) {
      // An indicator whose "stopped typing" never came goes out by itself.
      typingTimer = setTimeout(() => {
        state = { ...state, typing: false };
        part("typing").hidden = true;
      }, TYPING_SHOWN);
    }
  }

  function announce(prev) {
    for (const e of state.applied) {
      if (e.type === "chat.accepted") say(fmt(T.accepted, { name: state.chat.advisor_name || T.advisor }));
      else if (e.type === "chat.closed") say(T.closed);
      else if (e.type === "chat.transferred") say(T.transferred);
      else if (e.type === "queue.position" && prev.chat.queue_position !== state.chat.queue_position)
        say(fmt(T.position, { n: state.chat.queue_position }));
    }
  }

  const connection = socket({
    url: `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${root.dataset.wsPath}`,
    hello: () => ({ last_seq: state.gap ? 0 : state.seq }),
    Socket,
    onStatus(status) {
      if (status === "open") setConnection(T.live);
      else if (status === "closed") setConnection(T.ended);
      else setConnection(T.reconnecting);
    },
    onMessage(message) {
      if (message.type === "error") {
        showError(message.message || T.error);
        return;
      }
      const prev = state;
      state = reduce(state, message);
      if (state.gap && !prev.gap) connection.send({ type: "hello", last_seq: state.seq });
      if (state !== prev && (state.applied.length || message.type === "typing" || message.type === "event")) {
        render(prev);
        announce(prev);
      }
    },
  });

  function showError(text) {
    const box = part("error");
    box.textContent = text;
    box.hidden = !text;
  }

  if (composer && textarea) {
    composer.addEventListener("submit", (e) => {
      if (!connection.isOpen() && !state.synced) return; // the form post still works
      e.preventDefault();
      const text = textarea.value;
      if (!text.trim()) {
        showError(T.empty);
        textarea.focus();
        return;
      }
      showError("");
      connection.change("message.send", { text });
      textarea.value = "";
    });
    textarea.addEventListener("input", () => {
      const now = Date.now();
      if (now - lastTyping > TYPING_PAUSE) {
        lastTyping = now;
        connection.send({ type: "typing" });
      }
    });
  }
  const closeForm = part("close");
  if (closeForm) {
    closeForm.addEventListener("submit", (e) => {
      if (!state.synced) return;
      e.preventDefault();
      connection.change("chat.close");
    });
  }
  const rating = part("rating");
  if (rating) {
    rating.addEventListener("submit", (e) => {
      if (!state.synced) return;
      const score = rating.querySelector("input[name$=score]:checked");
      if (!score) return; // the server's form error says what is missing
      e.preventDefault();
      const comment = rating.querySelector("textarea[name$=comment]")?.value || "";
      connection.change("rating.give", { score: Number(score.value), comment });
      rating.hidden = true;
      say(T.thanks);
      part("rated").hidden = false;
    });
  }
  connection.start();
  return { stop: () => connection.stop(), state: () => state };
}
