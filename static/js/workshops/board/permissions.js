// What this viewer may do, from a board state (pure, like the reducer).

import { isWithheld } from "./state.js";

export const FACILITATOR_ACTIONS = new Set([
  "phase.set",
  "timer.start",
  "timer.stop",
  "board.lock",
  "board.unlock",
  "board.reveal",
  "vote.budget",
]);

/**
 * May this viewer do `action` now? The snapshot's `you.can` says, for the phase
 * and lock it was made in; once an event changed either (or without `you.can`)
 * the general rule stands: facilitator actions for facilitators, everything
 * else for everyone, and the server refuses what it must.
 */
export function can(state, action) {
  const you = state.you;
  if (!you) return false;
  if (you.can && typeof you.can[action] === "boolean" && !canIsStale(state)) return you.can[action];
  return FACILITATOR_ACTIONS.has(action) ? !!you.facilitator : true;
}

/** `you.can` was made for another phase or lock than the board has now. */
export const canIsStale = (state) =>
  !state.canFor ||
  state.canFor.phase !== state.board.phase ||
  state.canFor.locked !== state.board.locked;

/** May this viewer do `action` on `card`? Editing and deleting are the author's. */
export function canOnCard(state, action, card) {
  if (!can(state, action)) return false;
  const withheld = isWithheld(card);
  const own = !!state.you && (state.you.facilitator || card.author_id === state.you.id);
  switch (action) {
    case "card.edit":
      return own && !withheld;
    case "card.delete":
      return own;
    default:
      return true;
  }
}
