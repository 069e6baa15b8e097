// The advisors' desk made live over ws/advice/desk/: the queue re-drawn whole on
// every `queue` message, the open chat's messages and typing as they come (one
// state per chat, state.js), unread counts on the other held chats, messages
// sent with an `op` (re-sent after a reconnect, applied once), canned answers
// and knowledge-base links inserted into the composer. Accepting, notes,
// transfers, closing and blocking stay form posts (the page reloads).

import { socket } from "../core/socket.js";
import { messageItem, announcer } from "./chat_view.js";
import { eventChat, rows } from "./queue.js";
import { initialState, reduce } from "./state.js";

const fmt = (text, values) => String(text ?? "").replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
const TYPING_PAUSE = 3000;

const page = document.querySelector("[data-advice-desk]");
if (page) start(page);

function start(page) {
  const doc = page.ownerDocument;
  const json = (id) => JSON.parse(doc.getElementById(id).textContent);
  const T = json("advice-desk-strings");
  const cities = json("advice-desk-cities");
  const languages = json("advice-desk-languages");
  const seqs = json("advice-desk-held"); // chat id -> last seq seen
  const $ = (name) => page.querySelector(`[data-desk="${name}"]`);
  const say = announcer($("announcer"));
  const csrf = page.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const acceptUrl = page.querySelector("form[action$='/desk/accept/']")?.action || "accept/";

  const open = page.querySelector("[data-desk-chat]");
  const openId = open ? Number(open.dataset.deskChat) : null;
  const holding = open && open.dataset.holding === "true";
  const strings = { you: T.you, advisor: T.advisor, system: T.system };
  // The open chat starts from the page's snapshot (what is on the screen).
  let state = open ? reduce(initialState(), json("advice-desk-snapshot")) : initialState();
  let lastTyping = 0;

  function drawQueue(chats) {
    const body = $("queue");
    if (!body) return;
    const list = rows(chats);
    const lines = list.map((row) => {
      const tr = doc.createElement("tr");
      const what = doc.createElement("td");
      const lang = doc.createElement("span");
      lang.lang = row.language;
      lang.textContent = languages[row.language] || row.language;
      what.append(`${row.city == null ? T.anyCity : cities[row.city] || row.city} · `, lang);
      if (row.topic) what.append(` · ${row.topic}`);
      if (row.origin_path) {
        const from = doc.createElement("span");
        from.className = "meta";
        from.textContent = row.origin_path;
        what.append(doc.createElement("br"), from);
      }
      const waited = doc.createElement("td");
      waited.textContent = fmt(T.minutes, { n: Math.floor(row.waiting_s / 60) });
      const action = doc.createElement("td");
      const form = doc.createElement("form");
      form.method = "post";
      form.action = acceptUrl;
      for (const [name, value] of [["csrfmiddlewaretoken", csrf], ["chat", row.id]]) {
        const input = doc.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = String(value);
        form.append(input);
      }
      const button = doc.createElement("button");
      button.type = "submit";
      button.className = `button button--small${row.head ? "" : " button--secondary"}`;
      button.textContent = row.head ? T.acceptNext : T.accept;
      const hidden = doc.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ` ${fmt(T.chatLabel, { id: row.id })}`;
      button.append(hidden);
      form.append(button);
      action.append(form);
      tr.append(what, waited, action);
      return tr;
    });
    if (!lines.length) {
      const tr = doc.createElement("tr");
      const td = doc.createElement("td");
      td.colSpan = 3;
      td.textContent = T.empty;
      tr.append(td);
      lines.push(tr);
    }
    const before = body.querySelectorAll("button").length;
    body.replaceChildren(...lines);
    $("queue-count").textContent = `(${list.length})`;
    if (list.length > before) say(fmt(T.queueChanged, { n: list.length }));
  }

  function drawChat(prev) {
    const list = open.querySelector("[data-part=messages]");
    const shown = new Set([...list.children].map((li) => li.dataset.id));
    for (const message of state.messages) {
      if (shown.has(String(message.id))) continue;
      list.append(messageItem(doc, message, strings));
      if (prev.synced && message.author === "resident") say(fmt(T.newMessage, { id: openId }));
    }
    open.querySelector("[data-part=typing]").hidden = !state.typing;
    if (state.chat.status) open.dataset.status = state.chat.status;
  }

  function unread(id) {
    const badge = page.querySelector(`[data-unread="${id}"]`);
    if (!badge) return;
    badge.textContent = String(Number(badge.textContent || 0) + 1);
    badge.hidden = false;
    say(fmt(T.newMessage, { id }));
  }

  const connection = socket({
    url: `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws/advice/desk/`,
    hello: () => ({ chats: { ...seqs, ...(openId ? { [openId]: state.gap ? 0 : state.seq } : {}) } }),
    onStatus(status) {
      $("connection").textContent = status === "open" ? T.live : status === "closed" ? T.ended : T.reconnecting;
    },
    onMessage(message) {
      if (message.type === "queue") {
        drawQueue(message.chats || []);
        return;
      }
      const id = eventChat(message) ?? (message.type === "snapshot" ? Number(message.chat?.id) : null);
      if (!id) return;
      if (id === openId) {
        const prev = state;
        state = reduce(state, message);
        seqs[id] = state.seq;
        if (state.gap && !prev.gap) connection.send({ type: "hello", chats: { [id]: state.seq } });
        drawChat(prev);
        return;
      }
      if (message.type === "event" && message.seq) {
        if (message.seq === (seqs[id] ?? 0) + 1) seqs[id] = message.seq;
        if (message.event?.type === "message.sent" && message.event.message?.author === "resident") unread(id);
      }
    },
  });

  if (open && holding) {
    const composer = open.querySelector("[data-part=composer]");
    const textarea = composer.querySelector("textarea");
    composer.addEventListener("submit", (e) => {
      if (!state.synced) return; // the form post still works
      e.preventDefault();
      if (!textarea.value.trim()) return;
      connection.change("message.send", { chat: openId, text: textarea.value });
      textarea.value = "";
    });
    textarea.addEventListener("input", () => {
      if (Date.now() - lastTyping > TYPING_PAUSE) {
        lastTyping = Date.now();
        connection.send({ type: "typing", chat: openId });
      }
    });
    const insert = (text) => {
      const at = textarea.selectionStart ?? textarea.value.length;
      textarea.value = textarea.value.slice(0, at) + text + textarea.value.slice(textarea.selectionEnd ?? at);
      textarea.focus();
    };
    // Canned answers go into the composer to be edited, not straight out.
    for (const button of open.querySelectorAll("[data-insert]")) {
      button.addEventListener("click", (e) => {
        e.preventDefault();
        insert(open.querySelector(`[data-canned-text="${button.dataset.insert}"]`).textContent);
      });
    }
    const kb = open.querySelector("[data-part=kb]");
    kb?.addEventListener("submit", async (e) => {
      e.preventDefault();
      const q = kb.querySelector("input[name=q]").value;
      const results = open.querySelector("[data-part=kb-results]");
      const url = new URL(page.dataset.kbUrl || "/advice/desk/kb/", location.href);
      url.searchParams.set("q", q);
      const response = await fetch(url, { credentials: "same-origin" });
      const found = response.ok ? (await response.json()).results : [];
      results.replaceChildren(
        ...(found.length ? found : [null]).map((item) => {
          const li = doc.createElement("li");
          if (!item) {
            li.textContent = T.noResults;
            return li;
          }
          const a = doc.createElement("a");
          a.href = item.url;
          a.textContent = item.title;
          const add = doc.createElement("button");
          add.type = "button";
          add.className = "button button--small button--secondary";
          add.textContent = T.insert;
          add.addEventListener("click", () => insert(`${item.title}: ${item.url}`));
          li.append(a, " ", add);
          return li;
        }),
      );
    });
  }
  connection.start();
}
