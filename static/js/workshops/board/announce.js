// What the live region says. `describe` is pure: which sentence an applied event
// earns (or null); `announcer` appends sentences to a polite live region, which
// screen readers read without the focus moving.

import { columnTitle, isWithheld } from "./state.js";
import { fmt } from "./text.js";

const SHORT = 40;

/**
 * A card as a sentence names it: its text, shortened, or that it is hidden
 * (`object`: as the object of "You moved …", which some languages inflect).
 */
export function cardName(state, id, T, object = false) {
  const card = state.cards[id];
  if (!card || isWithheld(card)) return object ? T.aCardObject : T.aCard;
  const text = card.text.replace(/\s+/g, " ").trim();
  return fmt(T.quoted, { text: text.length > SHORT ? `${text.slice(0, SHORT - 1)}…` : text });
}

export function describe(e, prev, next, T) {
  switch (e.type) {
    case "card.added":
      if (e.card.channel === "in_person") {
        return fmt(T.addedFromPaper, { column: columnTitle(next, e.card.column) });
      }
      return fmt(T.added, { name: e.card.author, column: columnTitle(next, e.card.column) });
    case "card.edited":
      return T.edited;
    case "card.moved": {
      const place = (next.order[e.column] || []).indexOf(e.card) + 1;
      return fmt(T.moved, { card: cardName(next, e.card, T), column: columnTitle(next, e.column), place });
    }
    case "card.deleted":
      return T.deleted;
    case "card.grouped":
      return e.group
        ? fmt(T.grouped, { card: cardName(next, e.card, T), group: e.group })
        : fmt(T.ungrouped, { card: cardName(next, e.card, T) });
    case "voting.set":
      return e.voting_open ? T.votingOpen : T.votingClosed;
    case "vote.budget_set":
      return T.budgetSet;
    case "phase.set":
      return fmt(T.phaseSet, { phase: (T.phases || {})[e.phase] || e.phase });
    case "timer.started":
      return fmt(T.timerStarted, { minutes: Math.round(e.seconds / 6) / 10 });
    case "timer.stopped":
      return T.timerStopped;
    case "board.locked":
      return T.boardLocked;
    case "board.unlocked":
      return T.boardUnlocked;
    case "board.revealed":
      return T.revealed;
    case "participant.removed":
      return T.participantRemoved;
    case "column.added":
      return fmt(T.columnAdded, { column: e.column.title });
    case "column.renamed": {
      const old = columnTitle(prev, e.column.id);
      return old && old !== e.column.title ? fmt(T.columnRenamed, { old, column: e.column.title }) : null;
    }
    case "columns.reordered":
      return T.columnsReordered;
    default: // votes are counted on the cards: announcing each would drown the rest
      return null;
  }
}

/** The sentences of the events `next` applied. */
export const sentences = (prev, next, T) =>
  next.applied.map((e) => describe(e, prev, next, T)).filter(Boolean);

export function announcer(region, keep = 5) {
  return (text) => {
    const line = region.ownerDocument.createElement("p");
    line.textContent = text;
    region.append(line);
    while (region.childElementCount > keep) region.firstElementChild.remove();
  };
}
