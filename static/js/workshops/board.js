// The live board. The server is the single authority: this script sends changes
// with a client-made `op` id, applies the numbered events the server broadcasts
// (in `seq` order, filling gaps with `hello {last_seq}`), and reconnects by itself
// with backoff, re-sending changes that were never acknowledged.

const app = document.getElementById("board-app");
if (app) start(app);

function start(app) {
  const T = JSON.parse(document.getElementById("board-strings").textContent);
  const $ = (id) => document.getElementById(id);
  const facilitator = app.dataset.facilitator === "true";
  const state = {
    seq: 0,
    board: {},
    columns: [],
    cards: new Map(), // id -> card
    order: new Map(), // column id -> [card ids]
    you: null,
    votesLeft: 0,
    clockOffset: 0,
    presence: [],
  };
  const pending = new Map(); // op -> message not yet acknowledged
  const buffer = new Map(); // seq -> event that arrived ahead of a gap
  const cardEls = new Map();
  let socket = null;
  let attempt = 0;
  let removed = false;
  let gapTimer = null;
  let timeUpAnnounced = false;

  const fmt = (text, values) =>
    text.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));

  function announce(text) {
    const region = $("announcer");
    const line = document.createElement("p");
    line.textContent = text;
    region.append(line);
    while (region.childElementCount > 5) region.firstElementChild.remove();
  }

  function setStatus(text) {
    $("connection-status").textContent = text;
  }

  function showError(text) {
    const box = $("board-error");
    box.textContent = text;
    box.hidden = !text;
  }

  function newOp() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  }

  // --- Connection ------------------------------------------------------------

  function connect() {
    if (removed) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${app.dataset.wsPath}`);
    setStatus(T.connecting);
    socket.addEventListener("open", () => {
      attempt = 0;
      send({ type: "hello", last_seq: state.seq });
      // Unacknowledged changes go again: the server applies each op once.
      for (const message of pending.values()) send(message);
    });
    socket.addEventListener("message", (e) => handle(JSON.parse(e.data)));
    socket.addEventListener("close", (e) => {
      app.dataset.state = "offline";
      if (e.code === 4403 || removed) {
        removed = true;
        setStatus(T.removed);
        showError(T.removed);
        return;
      }
      setStatus(T.reconnecting);
      const delay = Math.min(10000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  const isOpen = () => socket && socket.readyState === WebSocket.OPEN;

  function send(message) {
    if (isOpen()) socket.send(JSON.stringify(message));
  }

  function change(type, fields = {}) {
    const message = { type, op: newOp(), ...fields };
    pending.set(message.op, message);
    send(message);
    return message.op;
  }

  // --- Messages from the server -------------------------------------------------

  function handle(message) {
    switch (message.type) {
      case "snapshot":
        applySnapshot(message);
        break;
      case "event":
        receiveEvent(message);
        break;
      case "ack":
        pending.delete(message.op);
        break;
      case "error":
        if (message.op) pending.delete(message.op);
        if (message.code === "conflict" && message.card) {
          upsertCard(message.card);
          renderColumns([message.card.column]);
        }
        showError(message.message);
        break;
      case "presence":
        state.presence = message.participants;
        renderPresence();
        break;
      default:
        break;
    }
  }

  function applySnapshot(snap) {
    state.seq = snap.seq;
    state.board = snap.board;
    state.columns = snap.columns.slice().sort((a, b) => a.position - b.position);
    state.you = snap.you;
    state.votesLeft = snap.votes_left;
    state.presence = snap.presence;
    state.clockOffset = Date.parse(snap.board.now) - Date.now();
    state.cards = new Map();
    state.order = new Map(state.columns.map((c) => [c.id, []]));
    const cards = snap.cards.slice().sort((a, b) => a.position - b.position || a.id - b.id);
    for (const card of cards) {
      state.cards.set(card.id, card);
      if (state.order.has(card.column)) state.order.get(card.column).push(card.id);
    }
    setStatus(T.connected);
    app.dataset.state = "live";
    renderAll();
    drainBuffer();
  }

  function receiveEvent(message) {
    if (message.seq <= state.seq) return; // already seen (snapshot or resync)
    if (message.seq > state.seq + 1) {
      buffer.set(message.seq, message);
      // A gap: wait a moment for the missing event, then ask for it.
      if (!gapTimer) {
        gapTimer = setTimeout(() => {
          gapTimer = null;
          if (buffer.size) send({ type: "hello", last_seq: state.seq });
        }, 1000);
      }
      return;
    }
    applyEvent(message.event);
    state.seq = message.seq;
    drainBuffer();
  }

  function drainBuffer() {
    for (const seq of [...buffer.keys()]) if (seq <= state.seq) buffer.delete(seq);
    while (buffer.has(state.seq + 1)) {
      const next = buffer.get(state.seq + 1);
      buffer.delete(state.seq + 1);
      applyEvent(next.event);
      state.seq = next.seq;
    }
  }

  const columnTitle = (id) => (state.columns.find((c) => c.id === id) || {}).title || "";

  function upsertCard(card) {
    const known = state.cards.get(card.id);
    state.cards.set(card.id, { ...known, ...card });
    if (!known) {
      const list = state.order.get(card.column);
      if (list) list.splice(Math.min(card.position, list.length), 0, card.id);
    }
  }

  function removeFromOrder(cardId) {
    for (const list of state.order.values()) {
      const index = list.indexOf(cardId);
      if (index >= 0) list.splice(index, 1);
    }
  }

  function applyEvent(e) {
    const mine = state.you && e.participant === state.you.id;
    switch (e.type) {
      case "card.added":
        upsertCard(e.card);
        renderColumns([e.card.column]);
        announce(fmt(T.added, { name: e.card.author, column: columnTitle(e.card.column) }));
        break;
      case "card.edited":
        upsertCard(e.card);
        renderColumns([e.card.column]);
        announce(T.edited);
        break;
      case "card.moved": {
        const card = state.cards.get(e.card);
        if (!card) break;
        const from = card.column;
        removeFromOrder(e.card);
        const list = state.order.get(e.column) || [];
        list.splice(Math.min(e.position, list.length), 0, e.card);
        Object.assign(card, { column: e.column, version: e.version });
        renderColumns([from, e.column]);
        announce(fmt(T.moved, { column: columnTitle(e.column) }));
        break;
      }
      case "card.deleted": {
        const card = state.cards.get(e.card);
        state.cards.delete(e.card);
        removeFromOrder(e.card);
        if (card) renderColumns([card.column]);
        announce(T.deleted);
        break;
      }
      case "card.grouped": {
        const card = state.cards.get(e.card);
        if (!card) break;
        Object.assign(card, { group: e.group, version: e.version });
        renderColumns([card.column]);
        announce(T.grouped);
        break;
      }
      case "vote.cast":
      case "vote.retracted": {
        const card = state.cards.get(e.card);
        if (card) {
          card.votes = e.votes;
          renderColumns([card.column]);
        }
        if (mine) state.votesLeft += e.type === "vote.cast" ? -1 : 1;
        renderStatus();
        break;
      }
      case "vote.budget_set":
        if (e.participant === null) state.board.vote_budget = e.budget;
        if (e.participant === null || mine) send({ type: "hello", last_seq: 0 });
        announce(T.budgetSet);
        break;
      case "phase.set":
        state.board.phase = e.phase;
        renderStatus();
        announce(fmt(T.phaseSet, { phase: T.phases[e.phase] || e.phase }));
        break;
      case "timer.started":
        state.board.timer_ends_at = e.ends_at;
        timeUpAnnounced = false;
        renderTimer();
        announce(fmt(T.timerStarted, { minutes: Math.round(e.seconds / 6) / 10 }));
        break;
      case "timer.stopped":
        state.board.timer_ends_at = null;
        renderTimer();
        announce(T.timerStopped);
        break;
      case "board.locked":
        state.board.locked = true;
        renderStatus();
        announce(T.boardLocked);
        break;
      case "board.unlocked":
        state.board.locked = false;
        renderStatus();
        announce(T.boardUnlocked);
        break;
      case "board.revealed": {
        const columns = new Set();
        for (const card of e.cards) {
          upsertCard(card);
          columns.add(card.column);
        }
        if (e.phase) state.board.phase = e.phase;
        renderColumns([...columns]);
        renderStatus();
        announce(T.revealed);
        break;
      }
      case "participant.removed":
        if (state.you && e.participant === state.you.id) removed = true;
        announce(T.participantRemoved);
        break;
      case "column.added":
        state.columns = state.columns.filter((c) => c.id !== e.column.id);
        state.columns.push(e.column);
        state.columns.sort((a, b) => a.position - b.position || a.id - b.id);
        if (!state.order.has(e.column.id)) state.order.set(e.column.id, []);
        renderAll();
        announce(fmt(T.columnAdded, { column: e.column.title }));
        break;
      case "column.renamed": {
        const column = state.columns.find((c) => c.id === e.column.id);
        if (!column) break;
        const old = column.title;
        column.title = e.column.title;
        renderColumnTitles();
        announce(fmt(T.columnRenamed, { old, column: column.title }));
        break;
      }
      case "columns.reordered":
        for (const c of e.columns) {
          const column = state.columns.find((known) => known.id === c.id);
          if (column) Object.assign(column, c);
          else {
            state.columns.push(c);
            state.order.set(c.id, []);
          }
        }
        state.columns.sort((a, b) => a.position - b.position || a.id - b.id);
        renderAll();
        announce(T.columnsReordered);
        break;
      default:
        break;
    }
  }

  // --- Rendering ------------------------------------------------------------------

  function renderAll() {
    const focusedId = document.activeElement && document.activeElement.id;
    const board = $("board");
    board.replaceChildren();
    cardEls.clear();
    for (const column of state.columns) {
      const section = document.createElement("section");
      section.className = "board-column";
      section.dataset.column = column.id;
      section.setAttribute("aria-labelledby", `column-${column.id}`);
      const heading = document.createElement("h3");
      heading.id = `column-${column.id}`;
      heading.textContent = column.title;
      const list = document.createElement("ol");
      list.className = "board-column__cards";
      section.append(heading, list);
      board.append(section);
    }
    renderColumns(state.columns.map((c) => c.id));
    const select = $("id_card_column");
    const chosen = select.value;
    select.replaceChildren(
      ...state.columns.map((c) => new Option(c.title, c.id, false, String(c.id) === chosen)),
    );
    renderStatus();
    renderTimer();
    renderPresence();
    // Cards are rebuilt: give the focus back to the same control when it exists.
    if (focusedId && document.activeElement !== $(focusedId) && $(focusedId)) {
      $(focusedId).focus();
    }
  }

  // Column headings and the add-card form's choices follow renames in place, so
  // the cards (and the focus) stay where they are.
  function renderColumnTitles() {
    for (const column of state.columns) {
      const heading = $(`column-${column.id}`);
      if (heading) heading.textContent = column.title;
      const option = $("id_card_column").querySelector(`option[value="${column.id}"]`);
      if (option) option.textContent = column.title;
    }
  }

  function renderColumns(columnIds) {
    const focused = document.activeElement;
    for (const columnId of new Set(columnIds)) {
      const list = document.querySelector(
        `.board-column[data-column="${columnId}"] .board-column__cards`,
      );
      const ids = state.order.get(columnId);
      if (!list || !ids) continue;
      ids.forEach((id, index) => {
        const card = state.cards.get(id);
        card.position = index;
        let li = cardEls.get(id);
        if (!li) {
          li = buildCard(card);
          cardEls.set(id, li);
        }
        updateCard(li, card);
        if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
      });
      for (const li of [...list.children]) {
        const id = Number(li.dataset.card);
        if (!ids.includes(id)) {
          li.remove();
          if (!state.cards.has(id)) cardEls.delete(id);
        }
      }
    }
    if (focused && focused !== document.activeElement && document.contains(focused)) {
      focused.focus();
    }
  }

  function button(act, label, text) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "button button--small button--secondary";
    b.dataset.act = act;
    b.setAttribute("aria-label", label);
    b.textContent = text;
    return b;
  }

  function buildCard(card) {
    const li = document.createElement("li");
    li.id = `card-${card.id}`;
    li.dataset.card = card.id;
    const text = document.createElement("p");
    text.className = "board-card__text";
    const meta = document.createElement("p");
    meta.className = "board-card__meta";
    const links = document.createElement("p");
    links.className = "board-card__links";
    const fromDream = document.createElement("a");
    fromDream.dataset.link = "from-dream";
    const toDream = document.createElement("a");
    toDream.dataset.link = "to-dream";
    toDream.textContent = T.toDream;
    links.append(fromDream, " ", toDream);
    const actions = document.createElement("div");
    actions.className = "board-card__actions";
    actions.append(
      button("vote", T.vote, "+1"),
      button("unvote", T.unvote, "−1"),
      button("left", T.left, "←"),
      button("up", T.up, "↑"),
      button("down", T.down, "↓"),
      button("right", T.right, "→"),
    );
    const more = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = T.more;
    more.append(summary, editForm(card), groupForm(card));
    const del = button("delete", T.delete, T.delete);
    del.classList.add("button--danger");
    more.append(del);
    actions.append(more);
    li.append(text, meta, links, actions);
    return li;
  }

  function labelled(form, id, labelText, control) {
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = labelText;
    control.id = id;
    form.append(label, control);
  }

  function editForm(card) {
    const form = document.createElement("form");
    form.dataset.form = "edit";
    const area = document.createElement("textarea");
    area.name = "text";
    area.maxLength = 500;
    area.rows = 3;
    labelled(form, `edit-${card.id}`, T.edit, area);
    const save = document.createElement("button");
    save.className = "button button--small";
    save.textContent = T.save;
    form.append(save);
    return form;
  }

  function groupForm(card) {
    const form = document.createElement("form");
    form.dataset.form = "group";
    const input = document.createElement("input");
    input.type = "text";
    input.name = "group";
    input.maxLength = 80;
    input.setAttribute("aria-describedby", `group-help-${card.id}`);
    labelled(form, `group-${card.id}`, T.cluster, input);
    const help = document.createElement("p");
    help.className = "help";
    help.id = `group-help-${card.id}`;
    help.textContent = T.clusterHelp;
    const save = document.createElement("button");
    save.className = "button button--small";
    save.textContent = T.save;
    form.append(help, save);
    return form;
  }

  function updateCard(li, card) {
    li.className = `board-card board-card--${card.color}${card.hidden ? " board-card--hidden" : ""}`;
    const text = li.querySelector(".board-card__text");
    const withheld = card.text === null || card.text === undefined;
    text.textContent = withheld ? T.hidden : card.text;
    text.classList.toggle("board-card__text--hidden", withheld);
    const parts = [card.author];
    if (card.group) parts.push(card.group);
    parts.push(`${card.votes} ${T.votes}`);
    li.querySelector(".board-card__meta").textContent = parts.join(" · ");
    const area = li.querySelector('textarea[name="text"]');
    if (area && document.activeElement !== area) area.value = withheld ? "" : card.text;
    const group = li.querySelector('input[name="group"]');
    if (group && document.activeElement !== group) group.value = card.group || "";
    const fromDream = li.querySelector('[data-link="from-dream"]');
    fromDream.hidden = !card.from_dream;
    if (card.from_dream) {
      fromDream.href = app.dataset.dreamUrl.replace("/0/", `/${card.from_dream}/`);
      fromDream.textContent = fmt(T.fromDream, { n: card.from_dream });
    }
    const toDream = li.querySelector('[data-link="to-dream"]');
    toDream.hidden = !facilitator || withheld;
    if (facilitator) toDream.href = app.dataset.cardDreamUrl.replace("/0/", `/${card.id}/`);
    li.querySelector(".board-card__links").hidden = fromDream.hidden && toDream.hidden;
    const canEdit = facilitator || (state.you && card.author_id === state.you.id);
    li.querySelector('form[data-form="edit"]').hidden = !canEdit || withheld;
    li.querySelector('[data-act="delete"]').hidden = !canEdit;
  }

  function renderStatus() {
    const phase = $("phase");
    phase.textContent = T.phases[state.board.phase] || state.board.phase;
    phase.dataset.phase = state.board.phase;
    $("lock-status").textContent = state.board.locked ? T.locked : T.open;
    $("votes-left").textContent = String(state.votesLeft);
    app.classList.toggle("board-app--locked", !!state.board.locked);
  }

  function renderTimer() {
    const timer = $("timer");
    const endsAt = state.board.timer_ends_at;
    timer.dataset.endsAt = endsAt || "";
    if (!endsAt) {
      timer.textContent = "–";
      return;
    }
    const left = Math.max(0, Date.parse(endsAt) - (Date.now() + state.clockOffset));
    const seconds = Math.ceil(left / 1000);
    timer.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    if (seconds === 0 && !timeUpAnnounced) {
      timeUpAnnounced = true;
      announce(T.timeUp);
    }
  }

  function renderPresence() {
    $("presence").replaceChildren(
      ...state.presence.map((p) => {
        const li = document.createElement("li");
        li.textContent = p.name;
        return li;
      }),
    );
  }

  // --- What the person does -------------------------------------------------------

  function cardFromEvent(e) {
    const li = e.target.closest("li[data-card]");
    return li ? state.cards.get(Number(li.dataset.card)) : null;
  }

  $("board").addEventListener("click", (e) => {
    const target = e.target.closest("button[data-act]");
    const card = target && cardFromEvent(e);
    if (!card) return;
    const columnIds = state.columns.map((c) => c.id);
    const here = state.order.get(card.column) || [];
    const index = here.indexOf(card.id);
    const move = (column, position) =>
      change("card.move", { card: card.id, column, position, version: card.version });
    switch (target.dataset.act) {
      case "vote":
        if (state.votesLeft <= 0) showError(T.noVotes);
        else change("vote.cast", { card: card.id });
        break;
      case "unvote":
        change("vote.retract", { card: card.id });
        break;
      case "up":
        if (index > 0) move(card.column, index - 1);
        break;
      case "down":
        if (index < here.length - 1) move(card.column, index + 1);
        break;
      case "left":
      case "right": {
        const next = columnIds[columnIds.indexOf(card.column) + (target.dataset.act === "left" ? -1 : 1)];
        if (next !== undefined) move(next, (state.order.get(next) || []).length);
        break;
      }
      case "delete":
        change("card.delete", { card: card.id });
        break;
      default:
        break;
    }
  });

  $("board").addEventListener("submit", (e) => {
    e.preventDefault();
    const card = cardFromEvent(e);
    if (!card) return;
    const form = e.target;
    if (form.dataset.form === "edit") {
      const text = form.elements.text.value.trim();
      if (text) change("card.edit", { card: card.id, text, version: card.version });
    } else if (form.dataset.form === "group") {
      change("card.group", { card: card.id, group: form.elements.group.value.trim() || null });
    }
  });

  $("card-form").addEventListener("submit", (e) => {
    if (!isOpen()) return; // no live connection: the form posts as usual
    e.preventDefault();
    const form = e.target;
    const text = form.elements.text.value.trim();
    if (!text) return;
    showError("");
    change("card.add", {
      column: Number(form.elements.column.value),
      text,
      color: form.elements.color.value,
    });
    form.elements.text.value = "";
    form.elements.text.focus();
  });

  const consoleForm = $("console");
  if (consoleForm) {
    consoleForm.addEventListener("submit", (e) => {
      if (!isOpen() || !e.submitter) return;
      e.preventDefault();
      const action = e.submitter.value;
      const f = consoleForm.elements;
      if (action === "phase.set") change(action, { phase: f.phase.value });
      else if (action === "timer.start") change(action, { seconds: Math.round(Number(f.minutes.value) * 60) });
      else if (action === "vote.budget") {
        const fields = { budget: Number(f.budget.value) };
        if (f.participant.value) fields.participant = Number(f.participant.value);
        change(action, fields);
      } else change(action);
    });
  }

  const toggle = $("view-toggle");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const list = $("board").classList.toggle("board--list");
    toggle.setAttribute("aria-pressed", String(list));
  });

  setInterval(renderTimer, 500);
  connect();
}
