// What this viewer may do, from a board state (pure, like the reducer).

import { isWithheld, votingOpen } from "./state.js";

export const FACILITATOR_ACTIONS = new Set([
  "phase.set",
  "timer.start",
  "timer.stop",
  "board.lock",
  "board.unlock",
  "board.reveal",
  "vote.budget",
  "voting.set",
]);

/**
 * May this viewer do `action` now? The snapshot's `you.can` says, for the phase
 * and lock it was made in; once an event changed either (or without `you.can`)
 * the general rule stands: facilitator actions for facilitators, everything
 * else for everyone while the board is open (a locked board takes nothing from
 * participants), and the server refuses what it must.
 */
export function can(state, action) {
  const you = state.you;
  if (!you) return false;
  if (you.can && typeof you.can[action] === "boolean" && !canIsStale(state)) return you.can[action];
  if (FACILITATOR_ACTIONS.has(action)) return !!you.facilitator;
  return !state.board.locked || !!you.facilitator;
}

/** `you.can` was made for another phase or lock than the board has now. */
export const canIsStale = (state) =>
  !state.canFor ||
  state.canFor.phase !== state.board.phase ||
  state.canFor.locked !== state.board.locked;

/**
 * May this viewer do `action` on `card`? The server's board rules, as far as the
 * page can tell them (it refuses what it must): editing and deleting are the
 * author's and the facilitators'; others' cards move and cluster in the
 * clustering phase; votes only while voting is open, on cards not hidden, within
 * the votes left.
 */
export function canOnCard(state, action, card) {
  if (!can(state, action)) return false;
  const withheld = isWithheld(card);
  const own = !!state.you && (state.you.facilitator || card.author_id === state.you.id);
  switch (action) {
    case "card.edit":
      return own && !withheld;
    case "card.delete":
      return own;
    case "card.move":
    case "card.group":
      return own || state.board.phase === "cluster";
    case "vote.cast":
      return votingOpen(state) && !card.hidden && !withheld && state.votesLeft > 0;
    case "vote.retract":
      return votingOpen(state) && (card.my_votes === undefined || card.my_votes > 0);
    default:
      return true;
  }
}
