// Drawing the state into the page. `render(prev, next)` touches only what changed
// between two states (the reducer keeps unchanged parts identical), keeps card
// elements (and the focus inside them) across moves, and never moves the focus
// itself. A column shows its clusters as groups (board/moves.js `columnItems`),
// with the markup of workshops/includes/board_cluster.html.

import { cardElement, fillCard } from "./card.js";
import { columnItems } from "./moves.js";
import { canIsStale } from "./permissions.js";
import { votingOpen } from "./state.js";
import { plural } from "./text.js";

export function renderer({ doc, strings: T, template, view }) {
  const $ = (id) => doc.getElementById(id);
  const board = $("board");
  const cardEls = new Map(); // card id -> <li>
  const clusterEls = new Map(); // column id + name -> <li class="board-cluster">

  function restoreFocus(focused, focusedId) {
    if (focused && focused !== doc.activeElement && doc.contains(focused)) focused.focus();
    else if (focusedId && doc.activeElement === doc.body && $(focusedId)) $(focusedId).focus();
  }

  function columnSection(column) {
    const section = doc.createElement("section");
    section.className = "board-column";
    section.dataset.column = column.id;
    section.setAttribute("aria-labelledby", `column-${column.id}`);
    const heading = doc.createElement("h3");
    heading.id = `column-${column.id}`;
    heading.textContent = column.title;
    const list = doc.createElement("ol");
    list.className = "board-column__cards";
    section.append(heading, list);
    return section;
  }

  const sameColumns = (a, b) => a.length === b.length && a.every((c, i) => c.id === b[i].id);

  function renderColumns(prev, next) {
    if (prev.columns === next.columns && board.dataset.rendered) return false;
    if (board.dataset.rendered && sameColumns(prev.columns, next.columns)) {
      // A rename: headings and choices change in place; cards and focus stay.
      for (const column of next.columns) {
        $(`column-${column.id}`).textContent = column.title;
      }
    } else {
      board.replaceChildren(...next.columns.map(columnSection));
      board.dataset.rendered = "true";
    }
    const select = $("id_card_column");
    if (select) {
      const chosen = select.value;
      select.replaceChildren(
        ...next.columns.map((c) => new Option(c.title, c.id, false, String(c.id) === chosen)),
      );
    }
    return true;
  }

  function clusterElement(columnId, name) {
    const key = `${columnId}\u0000${name}`;
    let li = clusterEls.get(key);
    if (!li) {
      li = doc.createElement("li");
      li.className = "board-cluster";
      li.dataset.cluster = name;
      const head = doc.createElement("h4");
      head.className = "board-cluster__head";
      const title = doc.createElement("span");
      title.className = "board-cluster__name";
      title.textContent = name;
      const votes = doc.createElement("span");
      votes.className = "board-cluster__votes";
      const list = doc.createElement("ol");
      list.className = "board-cluster__cards";
      head.append(title, " ", votes);
      li.append(head, list);
      clusterEls.set(key, li);
    }
    return li;
  }

  // Put `children` into `list` in this order, touching only what is out of place
  // (a card element moved keeps the focus inside it).
  function arrange(list, children) {
    children.forEach((child, index) => {
      if (list.children[index] !== child) list.insertBefore(child, list.children[index] || null);
    });
    for (const extra of [...list.children].slice(children.length)) extra.remove();
  }

  function cardFor(id, prev, next, context, everything) {
    let li = cardEls.get(id);
    const fresh = !li;
    if (fresh) {
      li = cardElement(template);
      cardEls.set(id, li);
    }
    if (fresh || everything || next.cards[id] !== prev.cards[id]) fillCard(li, next.cards[id], context);
    return li;
  }

  function renderCards(prev, next, everything) {
    const context = { ...view, state: next };
    const used = new Set();
    for (const column of next.columns) {
      const list = board.querySelector(`.board-column[data-column="${column.id}"] .board-column__cards`);
      const ids = next.order[column.id] || [];
      const unchanged = ids === prev.order[column.id] && ids.every((id) => next.cards[id] === prev.cards[id]);
      if (!list || (!everything && unchanged && list.dataset.drawn)) {
        for (const id of ids) used.add(`${column.id}\u0000${(next.cards[id] || {}).group}`);
        continue;
      }
      list.dataset.drawn = "true";
      const children = columnItems(next, column.id).map((item) => {
        if (item.kind === "card") return cardFor(item.id, prev, next, context, everything);
        const key = `${column.id}\u0000${item.name}`;
        used.add(key);
        const li = clusterElement(column.id, item.name);
        li.querySelector(".board-cluster__votes").textContent = plural(T.votes, item.votes, view.lang);
        arrange(
          li.querySelector(".board-cluster__cards"),
          item.ids.map((id) => cardFor(id, prev, next, context, everything)),
        );
        return li;
      });
      arrange(list, children);
    }
    for (const id of cardEls.keys()) if (!next.cards[id]) cardEls.delete(id);
    for (const key of clusterEls.keys()) if (!used.has(key)) clusterEls.delete(key);
  }

  function renderStatus(next) {
    const phase = $("phase");
    phase.textContent = T.phases[next.board.phase] || next.board.phase;
    phase.dataset.phase = next.board.phase;
    const locked = !!next.board.locked;
    $("lock-status").textContent = locked ? T.locked : T.open;
    const notice = $("locked-notice");
    if (notice) notice.hidden = !locked || view.present;
    const left = $("votes-left");
    if (left) left.textContent = String(next.votesLeft);
    const voting = $("voting-status");
    if (voting && typeof next.board.voting_open === "boolean") {
      voting.textContent = votingOpen(next) ? T.open : T.closed;
      voting.dataset.votingOpen = String(votingOpen(next));
      const row = $("voting-row");
      if (row) row.hidden = false;
    }
    $("board-app").classList.toggle("board-app--locked", locked);
  }

  function renderPresence(next) {
    const list = $("presence");
    if (!list) return;
    list.replaceChildren(
      ...next.presence.map((p) => {
        const li = doc.createElement("li");
        li.textContent = p.name;
        return li;
      }),
    );
  }

  return function render(prev, next) {
    if (prev === next) return;
    const focused = doc.activeElement;
    const focusedId = focused && focused.id;
    const rebuilt = renderColumns(prev, next);
    // Who you are and what you may do (phase, lock, voting, votes left) change
    // every card's controls.
    const allowed =
      prev.you !== next.you ||
      canIsStale(prev) !== canIsStale(next) ||
      prev.board !== next.board ||
      prev.votesLeft !== next.votesLeft;
    renderCards(prev, next, rebuilt || allowed);
    if (prev.board !== next.board || prev.votesLeft !== next.votesLeft) renderStatus(next);
    if (prev.presence !== next.presence) renderPresence(next);
    restoreFocus(focused, focusedId);
  };
}

/**
 * The timer, from the server-held deadline and the clock offset to the server.
 * When it runs out it says so in the live region once, and the page shows it
 * (`board-timer--ended`, with "Time is up." in words, not only in colour).
 */
export function timer(el, { announce, T, box = null, ended = null }) {
  let announced = false;
  let endsAt = null;
  const show = (state) => {
    if (box) {
      box.classList.toggle("board-timer--ended", state === "ended");
      box.classList.toggle("board-timer--idle", state === "idle");
    }
    if (ended) ended.hidden = state !== "ended";
  };
  return {
    set(value) {
      if (value !== endsAt) announced = false;
      endsAt = value;
    },
    tick(offset) {
      el.dataset.endsAt = endsAt || "";
      if (!endsAt) {
        el.textContent = "–";
        show("idle");
        return;
      }
      const seconds = Math.ceil(Math.max(0, Date.parse(endsAt) - (Date.now() + offset)) / 1000);
      el.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
      show(seconds === 0 ? "ended" : "running");
      if (seconds === 0 && !announced) {
        announced = true;
        announce(T.timeUp);
      }
    },
  };
}
