// What the person does: card buttons and forms, the add-card form, the
// facilitator console and the view toggle. Each turns into one protocol change;
// the board changes only when the server's event comes back.

import { can } from "./permissions.js";

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

  function act(name, card) {
    const state = getState();
    const columns = state.columns.map((c) => c.id);
    const here = state.order[card.column] || [];
    const index = here.indexOf(card.id);
    const move = (column, position) =>
      change("card.move", { card: card.id, column, position, version: card.version });
    switch (name) {
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
        const next = columns[columns.indexOf(card.column) + (name === "left" ? -1 : 1)];
        if (next !== undefined) move(next, (state.order[next] || []).length);
        break;
      }
      case "delete":
        change("card.delete", { card: card.id });
        break;
      default:
        break;
    }
  }

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
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const list = $("board").classList.toggle("board--list");
    toggle.setAttribute("aria-pressed", String(list));
  });
}

/**
 * Buttons outside the cards follow `you.can`: the console's actions and adding
 * a card. Refused actions are disabled, not hidden, so the layout stays put.
 */
export function renderPermissions(doc, state) {
  for (const button of doc.querySelectorAll('#console button[name="action"]')) {
    button.disabled = !can(state, button.value);
  }
  const add = doc.querySelector('#card-form button[type="submit"]');
  if (add) add.disabled = !can(state, "card.add");
}
