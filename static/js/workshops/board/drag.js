// Drag and drop with pointer events (mouse, pen, touch). A mouse picks a card up
// anywhere but on its controls; a finger or pen by its handle (⠿), so that a
// finger elsewhere still scrolls the page. The card drops onto any part of a
// column (its heading included) at the place the pointer shows, or onto a
// cluster. Escape or a cancelled pointer puts it back. The drop is handed to
// `onDrop(cardId, target)` (a target as in board/moves.js); the board changes
// only when the server's events come back. The card's arrow buttons are the
// keyboard and screen-reader path to the same moves.

import { canOnCard } from "./permissions.js";

const THRESHOLD = 6; // px a pointer travels before a press becomes a drag
const EDGE = 48; // px from an edge where the page or the board scrolls
const STEP = 14; // px scrolled per frame there
const CONTROLS = "button, a, input, textarea, select, summary, label, form, [data-slot='more']";

export function bindDrag({ doc, board, getState, onDrop }) {
  const win = doc.defaultView;
  let drag = null;

  const cardId = (li) => Number(li.dataset.card);

  board.addEventListener("pointerdown", (e) => {
    if (drag || !e.isPrimary || (e.pointerType === "mouse" && e.button !== 0)) return;
    const li = e.target.closest("li[data-card]");
    if (!li || !board.contains(li)) return;
    const grip = e.target.closest('[data-slot="grip"]');
    if (!grip && (e.pointerType !== "mouse" || e.target.closest(CONTROLS))) return;
    const state = getState();
    const card = state.cards[cardId(li)];
    if (!card || !canOnCard(state, "card.move", card)) return;
    const box = li.getBoundingClientRect();
    drag = {
      pointerId: e.pointerId,
      li,
      id: card.id,
      x0: e.clientX,
      y0: e.clientY,
      x: e.clientX,
      y: e.clientY,
      dx: e.clientX - box.left,
      dy: e.clientY - box.top,
      width: box.width,
      started: false,
      target: null,
      ghost: null,
      frame: 0,
    };
    if (grip) e.preventDefault(); // no text selection or focus from the handle
  });

  function start() {
    drag.started = true;
    try {
      drag.li.setPointerCapture(drag.pointerId);
    } catch {
      // the pointer is gone already: the document's listeners still see it end
    }
    const ghost = drag.li.cloneNode(true);
    // A picture of the card, not a second card: no ids, nothing to read or press.
    for (const el of [ghost, ...ghost.querySelectorAll("[id]")]) el.removeAttribute("id");
    ghost.setAttribute("aria-hidden", "true");
    ghost.classList.add("board-card--ghost");
    ghost.style.width = `${drag.width}px`;
    doc.body.append(ghost);
    drag.ghost = ghost;
    drag.li.classList.add("board-card--dragging");
    board.classList.add("board--dragging");
    const selection = doc.getSelection && doc.getSelection();
    if (selection) selection.removeAllRanges();
    drag.frame = win.requestAnimationFrame(scroll);
  }

  function follow() {
    drag.ghost.style.transform = `translate(${drag.x - drag.dx}px, ${drag.y - drag.dy}px)`;
    drag.target = targetAt(drag.x, drag.y);
    mark(drag.target);
  }

  // Near an edge of the window the page scrolls, near an edge of the board the
  // board does (columns side by side), while the pointer stays there.
  function scroll() {
    if (!drag || !drag.started) return;
    const { x, y } = drag;
    let moved = false;
    if (y < EDGE) moved = scrollBy(0, -STEP);
    else if (y > win.innerHeight - EDGE) moved = scrollBy(0, STEP);
    const box = board.getBoundingClientRect();
    if (board.scrollWidth > board.clientWidth && y > box.top && y < box.bottom) {
      const before = board.scrollLeft;
      if (x < box.left + EDGE) board.scrollLeft -= STEP;
      else if (x > box.right - EDGE) board.scrollLeft += STEP;
      moved = moved || board.scrollLeft !== before;
    }
    if (moved) follow();
    drag.frame = win.requestAnimationFrame(scroll);
  }

  function scrollBy(dx, dy) {
    const before = win.scrollY;
    win.scrollBy(dx, dy);
    return win.scrollY !== before;
  }

  // The item (a loose card or a cluster) an element of a column list belongs to,
  // leaving out the dragged card (and a cluster that holds only it).
  function itemsOf(list) {
    return [...list.children].filter((li) => {
      if (li === drag.li) return false;
      if (!li.classList.contains("board-cluster")) return true;
      return [...li.querySelectorAll("li[data-card]")].some((c) => c !== drag.li);
    });
  }

  const anchor = (li) =>
    li.dataset.card
      ? cardId(li)
      : cardId([...li.querySelectorAll("li[data-card]")].find((c) => c !== drag.li));

  // The first of `lis` whose middle is below `y`: the drop goes in front of it.
  const firstBelow = (lis, y) =>
    lis.find((li) => {
      const box = li.getBoundingClientRect();
      return y < box.top + box.height / 2;
    }) || null;

  function targetAt(x, y) {
    drag.ghost.hidden = true; // see what is under the card, not the card
    const el = doc.elementFromPoint(x, y);
    drag.ghost.hidden = false;
    const column = el && el.closest(".board-column");
    if (!column || !board.contains(column)) return null;
    const id = Number(column.dataset.column);
    const cluster = el.closest(".board-cluster");
    if (cluster && column.contains(cluster)) {
      const cards = [...cluster.querySelectorAll("li[data-card]")].filter((c) => c !== drag.li);
      const below = firstBelow(cards, y);
      return {
        column: id,
        cluster: cluster.dataset.cluster,
        before: below && cardId(below),
        el: cluster,
        mark: below,
      };
    }
    const list = column.querySelector(".board-column__cards");
    const below = list ? firstBelow(itemsOf(list), y) : null;
    return { column: id, cluster: null, before: below && anchor(below), el: column, mark: below };
  }

  function mark(target) {
    for (const el of board.querySelectorAll(".board-drop-target, .board-drop-before, .board-drop-end")) {
      el.classList.remove("board-drop-target", "board-drop-before", "board-drop-end");
    }
    if (!target) return;
    target.el.classList.add("board-drop-target");
    if (target.mark) target.mark.classList.add("board-drop-before");
    else target.el.classList.add("board-drop-end");
  }

  function end(drop) {
    const done = drag;
    drag = null;
    if (!done.started) return;
    win.cancelAnimationFrame(done.frame);
    done.ghost.remove();
    done.li.classList.remove("board-card--dragging");
    board.classList.remove("board--dragging");
    mark(null);
    if (drop && done.target) {
      const { column, cluster, before } = done.target;
      onDrop(done.id, { column, cluster, before });
    }
  }

  doc.addEventListener("pointermove", (e) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    drag.x = e.clientX;
    drag.y = e.clientY;
    if (!drag.started) {
      if (Math.hypot(drag.x - drag.x0, drag.y - drag.y0) < THRESHOLD) return;
      start();
    }
    e.preventDefault();
    follow();
  });
  doc.addEventListener("pointerup", (e) => {
    if (drag && e.pointerId === drag.pointerId) end(true);
  });
  doc.addEventListener("pointercancel", (e) => {
    if (drag && e.pointerId === drag.pointerId) end(false);
  });
  doc.addEventListener("keydown", (e) => {
    if (drag && e.key === "Escape") end(false);
  });
  // The browser must not start its own drag (of a link or an image) meanwhile.
  board.addEventListener("dragstart", (e) => {
    if (drag) e.preventDefault();
  });
}
