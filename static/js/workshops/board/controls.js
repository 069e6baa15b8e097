// What the person does: card buttons and forms, the add-card form, the
// facilitator console and the view toggle. Each turns into one protocol change;
// the board changes only when the server's event comes back.

import { bindDrag } from "./drag.js";
import { planMove, planRestore, placeOf, stepTarget } from "./moves.js";
import { can } from "./permissions.js";
import { fmt } from "./text.js";
import { cardName } from "./announce.js";
import { columnTitle } from "./state.js";

const UNDO_FOR = 20000; // ms an undo is offered after a move

export function bindControls({ doc, getState, connection, showError, T, cardTextMax }) {
  const $ = (id) => doc.getElementById(id);
  const change = (type, fields) => {
    showError("");
    connection.change(type, fields);
  };
  const cardOf = (target) => {
    const li = target.closest("li[data-card]");
    return li ? getState().cards[Number(li.dataset.card)] : null;
  };
  const fits = (text) => text && text.length <= cardTextMax;
  const undo = undoOffer({ doc, getState, change, T });

  // A drop or an arrow button: the changes that put the card there, and an undo.
  function moveTo(cardId, target) {
    const state = getState();
    const changes = planMove(state, cardId, target);
    if (!changes.length) return;
    const place = placeOf(state, cardId);
    for (const c of changes) change(c.type, c.fields);
    undo.offer(place, fmt(T.youMoved, { card: cardName(state, cardId, T, true), column: columnTitle(state, target.column) }));
  }

  function act(name, card) {
    const state = getState();
    switch (name) {
      case "vote":
        if (state.votesLeft <= 0) showError(T.noVotes);
        else change("vote.cast", { card: card.id });
        break;
      case "unvote":
        change("vote.retract", { card: card.id });
        break;
      case "up":
      case "down":
      case "left":
      case "right": {
        const target = stepTarget(state, card.id, name);
        if (target) moveTo(card.id, target);
        break;
      }
      case "delete":
        change("card.delete", { card: card.id });
        break;
      default:
        break;
    }
  }

  bindDrag({ doc, board: $("board"), getState, onDrop: moveTo });
  const help = $("drag-help");
  if (help) help.hidden = false;

  $("board").addEventListener("click", (e) => {
    const target = e.target.closest("button[data-act]");
    const card = target && cardOf(target);
    if (card) act(target.dataset.act, card);
  });

  $("board").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = e.target;
    const card = cardOf(form);
    if (!card) return;
    if (form.dataset.form === "edit") {
      const text = form.elements.text.value.trim();
      if (fits(text)) change("card.edit", { card: card.id, text, version: card.version });
    } else if (form.dataset.form === "group") {
      change("card.group", { card: card.id, group: form.elements.group.value.trim() || null });
    }
  });

  $("card-form").addEventListener("submit", (e) => {
    if (!connection.isOpen()) return; // no live connection: the form posts as usual
    e.preventDefault();
    const form = e.target;
    const text = form.elements.text.value.trim();
    if (!fits(text)) return;
    change("card.add", {
      column: Number(form.elements.column.value),
      text,
      color: form.elements.color.value,
      language: form.elements.language.value,
    });
    form.elements.text.value = "";
    form.elements.text.focus();
  });

  const console = $("console");
  if (console) {
    console.addEventListener("submit", (e) => {
      if (!connection.isOpen() || !e.submitter) return; // posts as usual
      e.preventDefault();
      const action = e.submitter.value;
      const f = console.elements;
      if (action === "phase.set") change(action, { phase: f.phase.value });
      else if (action === "voting.open" || action === "voting.close") {
        change("voting.set", { open: action === "voting.open" });
      }
      else if (action === "timer.start") {
        change(action, { seconds: Math.round(Number(f.minutes.value) * 60) });
      } else if (action === "vote.budget") {
        const fields = { budget: Number(f.budget.value) };
        if (f.participant.value) fields.participant = Number(f.participant.value);
        change(action, fields);
      } else change(action);
    });
  }

  const toggle = $("view-toggle");
  if (!toggle) return;
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const list = $("board").classList.toggle("board--list");
    toggle.setAttribute("aria-pressed", String(list));
  });
}

/**
 * "Undo" after one's own move: the last move's card goes back where it was
 * (column, place and cluster), by the same protocol changes; offered for a while.
 */
function undoOffer({ doc, getState, change, T }) {
  const $ = (id) => doc.getElementById(id);
  const box = $("board-undo");
  let place = null;
  let timer = null;
  const hide = () => {
    place = null;
    box.hidden = true;
    clearTimeout(timer);
  };
  $("board-undo-button").addEventListener("click", () => {
    const changes = planRestore(getState(), place);
    const focusBack = place && doc.getElementById(`card-${place.card}`);
    hide();
    for (const c of changes) change(c.type, c.fields);
    // The button is gone: the focus goes to the card it moved back.
    if (focusBack) {
      focusBack.tabIndex = -1;
      focusBack.focus();
    }
  });
  return {
    offer(where, text) {
      place = where;
      $("board-undo-text").textContent = text;
      box.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(hide, UNDO_FOR);
    },
  };
}

// The console's buttons that are one protocol change under another name.
const CONSOLE_ACTIONS = { "voting.open": "voting.set", "voting.close": "voting.set" };

/**
 * Controls outside the cards follow `you.can`: the console's actions and the
 * add-card form (all of it: a locked board takes no card from a participant).
 * Refused actions are disabled, not hidden, so the layout stays put.
 */
export function renderPermissions(doc, state) {
  for (const button of doc.querySelectorAll('#console button[name="action"]')) {
    button.disabled = !can(state, CONSOLE_ACTIONS[button.value] || button.value);
  }
  const fields = doc.getElementById("card-fieldset");
  if (!fields) return;
  const refused = !can(state, "card.add");
  fields.disabled = refused;
  // Why, next to the form and as the button's description.
  doc.getElementById("card-form-closed").hidden = !refused;
  const add = fields.querySelector('button[type="submit"]');
  if (refused) add.setAttribute("aria-describedby", "card-form-closed");
  else add.removeAttribute("aria-describedby");
}
