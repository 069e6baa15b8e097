// The board's reducer: every server message of the board protocol (DESIGN.md and
// the README's extensions) against a plain state, no DOM. Run: node --test tests/js/
import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";

import { describe, sentences } from "../../../static/js/workshops/board/announce.js";
import { can, canOnCard } from "../../../static/js/workshops/board/permissions.js";
import { hasGap, initialState, reduce } from "../../../static/js/workshops/board/state.js";

const card = (id, column, fields = {}) => ({
  id,
  column,
  position: 0,
  text: `card ${id}`,
  color: "yellow",
  author: "Anna",
  author_id: 7,
  group: null,
  votes: 0,
  version: 1,
  hidden: false,
  from_dream: null,
  became_dream: null,
  ...fields,
});

function snapshot(fields = {}) {
  return {
    type: "snapshot",
    seq: 10,
    board: { id: 1, phase: "open", locked: false, timer_ends_at: null, vote_budget: 5, now: "2026-01-01T00:00:00Z" },
    columns: [
      { id: 2, title: "Later", position: 1 },
      { id: 1, title: "Now", position: 0 },
    ],
    cards: [card(11, 1, { position: 1 }), card(10, 1, { position: 0 }), card(20, 2)],
    votes_left: 5,
    you: { id: 7, name: "Anna", facilitator: false },
    presence: [{ id: 7, name: "Anna" }],
    ...fields,
  };
}

const event = (seq, e) => ({ type: "event", seq, event: e });
const start = (fields) => reduce(initialState(), snapshot(fields));
const T = {
  added: "%(name)s added a card to %(column)s.",
  moved: "A card was moved to %(column)s.",
  columnRenamed: "The column %(old)s is now called %(column)s.",
  phaseSet: "Phase: %(phase)s.",
  phases: { silent: "Silent writing" },
  revealed: "The cards were revealed.",
};

suite("snapshot", () => {
  test("orders columns and cards by position and takes the numbers", () => {
    const s = start();
    assert.deepEqual(s.columns.map((c) => c.id), [1, 2]);
    assert.deepEqual(s.order, { 1: [10, 11], 2: [20] });
    assert.equal(s.seq, 10);
    assert.equal(s.votesLeft, 5);
    assert.equal(s.synced, true);
    assert.deepEqual(s.applied, []);
  });

  test("replaces everything, and leaves the old state alone", () => {
    const before = start();
    const after = reduce(before, snapshot({ seq: 50, cards: [card(30, 2)] }));
    assert.deepEqual(after.order, { 1: [], 2: [30] });
    assert.deepEqual(Object.keys(after.cards), ["30"]);
    assert.deepEqual(before.order, { 1: [10, 11], 2: [20] });
  });
});

suite("numbered events", () => {
  test("an event already seen changes nothing", () => {
    const s = start();
    assert.equal(reduce(s, event(10, { type: "card.deleted", card: 10 })), s);
  });

  test("an event after a gap waits, and the missing one applies both in order", () => {
    const s = start();
    const ahead = reduce(s, event(12, { type: "card.deleted", card: 11 }));
    assert.equal(ahead.seq, 10);
    assert.ok(hasGap(ahead));
    assert.ok(ahead.cards[11]);
    const filled = reduce(ahead, event(11, { type: "card.deleted", card: 10 }));
    assert.equal(filled.seq, 12);
    assert.ok(!hasGap(filled));
    assert.deepEqual(filled.order[1], []);
    assert.deepEqual(filled.applied.map((e) => e.card), [10, 11]);
  });

  test("events before the snapshot wait for it; those it covers are dropped", () => {
    let s = reduce(initialState(), event(10, { type: "card.deleted", card: 10 }));
    s = reduce(s, event(11, { type: "card.deleted", card: 11 }));
    assert.equal(s.seq, 0);
    s = reduce(s, snapshot());
    assert.equal(s.seq, 11);
    assert.ok(!s.cards[11] && s.cards[10]);
    assert.ok(!hasGap(s));
  });

  test("a resync snapshot clears a gap", () => {
    const ahead = reduce(start(), event(15, { type: "card.deleted", card: 11 }));
    const s = reduce(ahead, snapshot({ seq: 20 }));
    assert.ok(!hasGap(s));
    assert.equal(s.seq, 20);
  });
});

suite("cards", () => {
  test("card.added goes to its position; unchanged columns keep their identity", () => {
    const s = start();
    const next = reduce(s, event(11, { type: "card.added", card: card(12, 1, { position: 1 }) }));
    assert.deepEqual(next.order[1], [10, 12, 11]);
    assert.equal(next.order[2], s.order[2]);
    assert.equal(next.cards[10], s.cards[10]);
  });

  test("card.edited keeps the card's place", () => {
    const next = reduce(start(), event(11, { type: "card.edited", card: card(10, 1, { text: "new", version: 2 }) }));
    assert.equal(next.cards[10].text, "new");
    assert.deepEqual(next.order[1], [10, 11]);
  });

  test("card.moved within and across columns", () => {
    let s = reduce(start(), event(11, { type: "card.moved", card: 10, column: 1, position: 1, version: 2 }));
    assert.deepEqual(s.order[1], [11, 10]);
    s = reduce(s, event(12, { type: "card.moved", card: 10, column: 2, position: 0, version: 3 }));
    assert.deepEqual(s.order, { 1: [11], 2: [10, 20] });
    assert.equal(s.cards[10].column, 2);
    assert.equal(s.cards[10].version, 3);
  });

  test("card.deleted and card.grouped; unknown cards are ignored", () => {
    let s = reduce(start(), event(11, { type: "card.grouped", card: 11, group: "Hours", version: 2 }));
    assert.equal(s.cards[11].group, "Hours");
    s = reduce(s, event(12, { type: "card.deleted", card: 11 }));
    assert.deepEqual(s.order[1], [10]);
    assert.equal(s.cards[11], undefined);
    s = reduce(s, event(13, { type: "card.moved", card: 99, column: 1, position: 0, version: 1 }));
    assert.equal(s.seq, 13);
    assert.deepEqual(s.order[1], [10]);
  });
});

suite("silent writing", () => {
  test("others' hidden cards come without text; the reveal brings it", () => {
    let s = reduce(start(), event(11, { type: "phase.set", phase: "silent" }));
    const hidden = card(12, 2, { text: null, hidden: true, author_id: 8, position: 1 });
    s = reduce(s, event(12, { type: "card.added", card: hidden }));
    assert.equal(s.cards[12].text, null);
    assert.ok(!canOnCard(s, "card.edit", s.cards[12]));
    s = reduce(s, event(13, {
      type: "board.revealed",
      phase: "reveal",
      cards: [{ ...hidden, text: "secret", hidden: false }],
    }));
    assert.equal(s.board.phase, "reveal");
    assert.equal(s.cards[12].text, "secret");
    assert.deepEqual(s.order[2], [20, 12]);
    assert.deepEqual(sentences(start(), s, T), [T.revealed]);
  });
});

suite("votes", () => {
  test("counts follow the events; only your own votes change votes left", () => {
    let s = reduce(start(), event(11, { type: "vote.cast", card: 10, votes: 1, participant: 7 }));
    assert.equal(s.cards[10].votes, 1);
    assert.equal(s.votesLeft, 4);
    s = reduce(s, event(12, { type: "vote.cast", card: 10, votes: 2, participant: 8 }));
    assert.equal(s.votesLeft, 4);
    s = reduce(s, event(13, { type: "vote.retracted", card: 10, votes: 1, participant: 7 }));
    assert.equal(s.votesLeft, 5);
    assert.equal(s.cards[10].votes, 1);
  });

  test("a new budget asks for a snapshot when it concerns you", () => {
    const s = start();
    const board = reduce(s, event(11, { type: "vote.budget_set", budget: 3, participant: null }));
    assert.equal(board.board.vote_budget, 3);
    assert.ok(board.wantSnapshot);
    const other = reduce(s, event(11, { type: "vote.budget_set", budget: 3, participant: 8 }));
    assert.ok(!other.wantSnapshot);
    const mine = reduce(s, event(11, { type: "vote.budget_set", budget: 3, participant: 7 }));
    assert.ok(mine.wantSnapshot);
    assert.ok(!reduce(mine, snapshot({ seq: 11 })).wantSnapshot);
  });
});

suite("board state", () => {
  test("phase, timer and lock", () => {
    let s = reduce(start(), event(11, { type: "phase.set", phase: "vote" }));
    s = reduce(s, event(12, { type: "timer.started", seconds: 120, ends_at: "2026-01-01T00:02:00Z" }));
    assert.equal(s.board.timer_ends_at, "2026-01-01T00:02:00Z");
    s = reduce(s, event(13, { type: "timer.stopped" }));
    s = reduce(s, event(14, { type: "board.locked" }));
    assert.deepEqual([s.board.phase, s.board.timer_ends_at, s.board.locked], ["vote", null, true]);
    s = reduce(s, event(15, { type: "board.unlocked" }));
    assert.equal(s.board.locked, false);
  });

  test("participant.removed marks only you removed", () => {
    const other = reduce(start(), event(11, { type: "participant.removed", participant: 8 }));
    assert.ok(!other.removed);
    assert.ok(reduce(start(), event(11, { type: "participant.removed", participant: 7 })).removed);
  });

  test("presence is replaced whole", () => {
    const s = reduce(start(), { type: "presence", participants: [{ id: 8, name: "Bert" }] });
    assert.deepEqual(s.presence, [{ id: 8, name: "Bert" }]);
  });

  test("ack and pong change nothing", () => {
    const s = start();
    assert.equal(reduce(s, { type: "ack", op: "x", seq: 11 }), s);
    assert.equal(reduce(s, { type: "pong" }), s);
  });
});

suite("columns", () => {
  test("column.added appears in place, empty", () => {
    const s = reduce(start(), event(11, { type: "column.added", column: { id: 3, title: "Parking", position: 2 } }));
    assert.deepEqual(s.columns.map((c) => c.title), ["Now", "Later", "Parking"]);
    assert.deepEqual(s.order[3], []);
  });

  test("column.renamed changes the title only, and is announced with the old one", () => {
    const before = start();
    const s = reduce(before, event(11, { type: "column.renamed", column: { id: 1, title: "Today", position: 0 } }));
    assert.equal(s.columns[0].title, "Today");
    assert.equal(s.order, before.order);
    assert.deepEqual(sentences(before, s, T), ["The column Now is now called Today."]);
  });

  test("columns.reordered reorders and keeps the cards", () => {
    const s = reduce(start(), event(11, {
      type: "columns.reordered",
      columns: [{ id: 2, title: "Later", position: 0 }, { id: 1, title: "Now", position: 1 }],
    }));
    assert.deepEqual(s.columns.map((c) => c.id), [2, 1]);
    assert.deepEqual(s.order, { 1: [10, 11], 2: [20] });
  });
});

suite("errors", () => {
  test("an error is kept with its code", () => {
    const s = reduce(start(), { type: "error", op: "a", code: "locked", message: "Locked." });
    assert.deepEqual(s.error, { code: "locked", message: "Locked.", op: "a" });
  });

  test("a conflict brings the card as it is now", () => {
    const now = card(10, 2, { position: 1, version: 5, text: "theirs" });
    const s = reduce(start(), { type: "error", op: "a", code: "conflict", message: "Changed.", card: now });
    assert.deepEqual(s.order, { 1: [11], 2: [20, 10] });
    assert.equal(s.cards[10].version, 5);
    assert.equal(s.seq, 10);
  });
});

suite("permissions", () => {
  const all = (value) => ({
    "card.add": value, "card.edit": value, "card.move": value, "card.delete": value,
    "card.group": value, "vote.cast": value, "vote.retract": value, "phase.set": value,
  });

  test("without you.can: facilitator actions for facilitators only", () => {
    const s = start();
    assert.ok(can(s, "card.add"));
    assert.ok(!can(s, "phase.set"));
    const fac = start({ you: { id: 1, name: "F", facilitator: true } });
    assert.ok(can(fac, "phase.set"));
    assert.ok(!can(initialState(), "card.add"));
  });

  test("you.can decides while the phase and lock are those it was made for", () => {
    const s = start({ you: { id: 7, name: "Anna", facilitator: false, can: all(false) } });
    assert.ok(!can(s, "card.add"));
    assert.ok(!canOnCard(s, "vote.cast", s.cards[10]));
    const moved = reduce(s, event(11, { type: "phase.set", phase: "vote" }));
    assert.ok(can(moved, "card.add")); // stale: the general rule until the next snapshot
    assert.ok(!can(reduce(moved, event(12, { type: "phase.set", phase: "open" })), "card.add"));
  });

  test("editing and deleting are the author's or a facilitator's", () => {
    const s = start();
    assert.ok(canOnCard(s, "card.edit", s.cards[10]));
    assert.ok(!canOnCard(s, "card.edit", { ...s.cards[10], author_id: 8 }));
    assert.ok(!canOnCard(s, "card.delete", { ...s.cards[10], author_id: 8 }));
    assert.ok(canOnCard(s, "vote.cast", { ...s.cards[10], author_id: 8 }));
  });
});

suite("announcements", () => {
  test("a card added names its author and column", () => {
    const prev = start();
    const next = reduce(prev, event(11, { type: "card.added", card: card(12, 2) }));
    assert.deepEqual(sentences(prev, next, T), ["Anna added a card to Later."]);
  });

  test("phases by their names; votes are not announced", () => {
    const s = start();
    assert.equal(describe({ type: "phase.set", phase: "silent" }, s, s, T), "Phase: Silent writing.");
    assert.equal(describe({ type: "vote.cast", card: 10 }, s, s, T), null);
  });
});
