// What the live region says. `describe` is pure: which sentence an applied event
// earns (or null); `announcer` appends sentences to a polite live region, which
// screen readers read without the focus moving.

import { columnTitle } from "./state.js";
import { fmt } from "./text.js";

export function describe(e, prev, next, T) {
  switch (e.type) {
    case "card.added":
      if (e.card.channel === "in_person") {
        return fmt(T.addedFromPaper, { column: columnTitle(next, e.card.column) });
      }
      return fmt(T.added, { name: e.card.author, column: columnTitle(next, e.card.column) });
    case "card.edited":
      return T.edited;
    case "card.moved":
      return fmt(T.moved, { column: columnTitle(next, e.column) });
    case "card.deleted":
      return T.deleted;
    case "card.grouped":
      return T.grouped;
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
