// The live board. The server is the single authority: changes go out with a
// client-made `op` (board/connection.js), the server's snapshot and numbered
// events become the next state (board/state.js, pure), and the page follows the
// state (board/render.js, board/card.js) and says what happened in its live
// region (board/announce.js). What the person does is in board/controls.js
// (buttons, forms, undo) and board/drag.js (drag and drop). The presenter view
// (`data-present`, the room's screen) only shows: it binds no controls.

import { announcer, sentences } from "./board/announce.js";
import { seenDreams, seenMyVotes } from "./board/card.js";
import { connection as openConnection } from "./board/connection.js";
import { bindControls, renderPermissions } from "./board/controls.js";
import { renderer, timer as boardTimer } from "./board/render.js";
import { hasGap, initialState, reduce } from "./board/state.js";

const app = document.getElementById("board-app");
if (app) start(app);

function start(app) {
  const doc = app.ownerDocument;
  const $ = (id) => doc.getElementById(id);
  const T = JSON.parse($("board-strings").textContent);
  const data = app.dataset;
  const announce = announcer($("announcer"));
  const setStatus = (text) => {
    $("connection-status").textContent = text;
  };
  const showError = (text) => {
    $("board-error").textContent = text;
    $("board-error").hidden = !text;
  };
  const urls = {
    dream: (id) => data.dreamUrl.replace("/0/", `/${id}/`),
    cardDream: data.cardDreamUrl ? (id) => data.cardDreamUrl.replace("/0/", `/${id}/`) : null,
  };
  const present = data.present === "true";
  const render = renderer({
    doc,
    strings: T,
    template: $("board-card-template"),
    view: { strings: T, lang: doc.documentElement.lang || "en", urls, seen: seenDreams(app), present },
  });
  const clock = boardTimer($("timer"), { announce, T, box: $("board-timer"), ended: $("timer-ended") });

  let state = initialState();
  let pageVotes = seenMyVotes(app); // until the first snapshot
  let clockOffset = 0;
  let gapTimer = null;

  const connection = openConnection({
    url: `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${data.wsPath}`,
    // A state waiting for a snapshot asks for one again after a reconnect.
    lastSeq: () => (state.wantSnapshot ? 0 : state.seq),
    onMessage: receive,
    onStatus(status) {
      if (status === "open") {
        // The first time, "Live" waits for the snapshot; after that, the missed
        // events follow the hello in order.
        if (state.synced) live();
        return;
      }
      app.dataset.state = "offline";
      if (status === "removed") {
        setStatus(T.removed);
        showError(T.removed);
      } else setStatus(status === "connecting" ? T.connecting : T.reconnecting);
    },
  });

  function live() {
    setStatus(T.connected);
    app.dataset.state = "live";
  }

  function receive(message) {
    if (message.type === "snapshot" && pageVotes) {
      const mine = pageVotes;
      pageVotes = null;
      message = {
        ...message,
        cards: message.cards.map((c) => (c.my_votes === undefined && mine.has(c.id) ? { ...c, my_votes: mine.get(c.id) } : c)),
      };
    }
    const prev = state;
    state = reduce(prev, message);
    if (message.type === "snapshot") {
      clockOffset = Date.parse(message.board.now) - Date.now();
      live();
    }
    if (message.type === "error") showError(message.message);
    if (state === prev) return;
    render(prev, state);
    renderPermissions(doc, state);
    if (prev.board.timer_ends_at !== state.board.timer_ends_at) {
      clock.set(state.board.timer_ends_at);
      clock.tick(clockOffset);
    }
    for (const sentence of sentences(prev, state, T)) announce(sentence);
    if (state.removed) connection.stop();
    else followUp(prev);
  }

  // What the new state asks of the connection: a snapshot, or the missing events.
  function followUp(prev) {
    if (state.wantSnapshot && !prev.wantSnapshot) connection.send({ type: "hello", last_seq: 0 });
    if (hasGap(state) && !gapTimer) {
      // Wait a moment for the missing event, then ask for what is missing.
      gapTimer = setTimeout(() => {
        gapTimer = null;
        if (hasGap(state)) connection.send({ type: "hello", last_seq: state.seq });
      }, 1000);
    }
  }

  if (!present) {
    bindControls({
      doc,
      getState: () => state,
      connection,
      showError,
      T,
      cardTextMax: Number(data.cardTextMax) || Infinity,
    });
  }
  setInterval(() => clock.tick(clockOffset), 500);
  connection.start();
}
