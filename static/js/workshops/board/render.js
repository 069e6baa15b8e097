// Drawing the state into the page. `render(prev, next)` touches only what changed
// between two states (the reducer keeps unchanged parts identical), keeps card
// elements (and the focus inside them) across moves, and never moves the focus
// itself.

import { cardElement, fillCard } from "./card.js";
import { canIsStale } from "./permissions.js";

export function renderer({ doc, strings: T, template, view }) {
  const $ = (id) => doc.getElementById(id);
  const board = $("board");
  const cardEls = new Map(); // card id -> <li>

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
    const chosen = select.value;
    select.replaceChildren(
      ...next.columns.map((c) => new Option(c.title, c.id, false, String(c.id) === chosen)),
    );
    return true;
  }

  function renderCards(prev, next, everything) {
    const context = { ...view, state: next };
    for (const column of next.columns) {
      const list = board.querySelector(`.board-column[data-column="${column.id}"] .board-column__cards`);
      const ids = next.order[column.id] || [];
      if (!list || (!everything && ids === prev.order[column.id] && ids.every((id) => next.cards[id] === prev.cards[id]))) continue;
      ids.forEach((id, index) => {
        let li = cardEls.get(id);
        const fresh = !li;
        if (fresh) {
          li = cardElement(template);
          cardEls.set(id, li);
        }
        if (fresh || everything || next.cards[id] !== prev.cards[id]) fillCard(li, next.cards[id], context);
        if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
      });
      for (const li of [...list.children].slice(ids.length)) li.remove();
    }
    for (const id of cardEls.keys()) if (!next.cards[id]) cardEls.delete(id);
  }

  function renderStatus(next) {
    const phase = $("phase");
    phase.textContent = T.phases[next.board.phase] || next.board.phase;
    phase.dataset.phase = next.board.phase;
    $("lock-status").textContent = next.board.locked ? T.locked : T.open;
    $("votes-left").textContent = String(next.votesLeft);
    $("board-app").classList.toggle("board-app--locked", !!next.board.locked);
  }

  function renderPresence(next) {
    $("presence").replaceChildren(
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
    // Who you are and what you may do (phase, lock) change every card's controls.
    const allowed = prev.you !== next.you || canIsStale(prev) !== canIsStale(next);
    renderCards(prev, next, rebuilt || allowed);
    if (prev.board !== next.board || prev.votesLeft !== next.votesLeft) renderStatus(next);
    if (prev.presence !== next.presence) renderPresence(next);
    restoreFocus(focused, focusedId);
  };
}

/** The timer, from the server-held deadline and the clock offset to the server. */
export function timer(el, { announce, T }) {
  let announced = false;
  let endsAt = null;
  return {
    set(value) {
      if (value !== endsAt) announced = false;
      endsAt = value;
    },
    tick(offset) {
      el.dataset.endsAt = endsAt || "";
      if (!endsAt) {
        el.textContent = "–";
        return;
      }
      const seconds = Math.ceil(Math.max(0, Date.parse(endsAt) - (Date.now() + offset)) / 1000);
      el.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
      if (seconds === 0 && !announced) {
        announced = true;
        announce(T.timeUp);
      }
    },
  };
}
