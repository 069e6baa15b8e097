// Drag and drop, the arrow buttons and undo as protocol changes (board/moves.js),
// clusters as the board shows them, votes as a phase with one's own dots, and
// what the live region says of moves. Pure: no DOM. Run: node --test tests/js/
import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";

import { cardName, describe } from "../../../static/js/workshops/board/announce.js";
import {
  columnItems,
  placeOf,
  planMove,
  planRestore,
  stepTarget,
} from "../../../static/js/workshops/board/moves.js";
import { canOnCard } from "../../../static/js/workshops/board/permissions.js";
import { initialState, reduce } from "../../../static/js/workshops/board/state.js";

const card = (id, column, position, fields = {}) => ({
  id, column, position, text: `card ${id}`, color: "yellow", author: "Anna", author_id: 7,
  group: null, votes: 0, version: 1, hidden: false, ...fields,
});

// Column 1: 10, 11 (cluster A), 12, 13 (cluster A); column 2: 20 (cluster A), 21.
function board(fields = {}, cards = null) {
  return reduce(initialState(), {
    type: "snapshot",
    seq: 5,
    board: { id: 1, phase: "cluster", locked: false, timer_ends_at: null, vote_budget: 3, voting_open: true, now: "2026-01-01T00:00:00Z" },
    columns: [{ id: 1, title: "Now", position: 0 }, { id: 2, title: "Later", position: 1 }],
    cards: cards || [
      card(10, 1, 0, { votes: 1 }),
      card(11, 1, 1, { group: "A", votes: 2, my_votes: 1 }),
      card(12, 1, 2),
      card(13, 1, 3, { group: "A", votes: 3 }),
      card(20, 2, 0, { group: "A" }),
      card(21, 2, 1),
    ],
    votes_left: 2,
    you: { id: 7, name: "Anna", facilitator: false },
    presence: [],
    ...fields,
  });
}
const event = (seq, e) => ({ type: "event", seq, event: e });
const move = (cardId, column, position, version = 1) => ({
  type: "card.move", fields: { card: cardId, column, position, version },
});
const group = (cardId, name) => ({ type: "card.group", fields: { card: cardId, group: name } });

suite("clusters as the board shows them", () => {
  test("a cluster stands where its first card does, with its votes summed", () => {
    assert.deepEqual(columnItems(board(), 1), [
      { kind: "card", id: 10 },
      { kind: "cluster", name: "A", ids: [11, 13], votes: 5 },
      { kind: "card", id: 12 },
    ]);
    // The same name in another column is another group (as on the results page).
    assert.deepEqual(columnItems(board(), 2)[0], { kind: "cluster", name: "A", ids: [20], votes: 0 });
  });
});

suite("a drop becomes protocol changes", () => {
  test("onto a place in another column: one move, to the index among its cards", () => {
    const s = board();
    assert.deepEqual(planMove(s, 10, { column: 2, before: 21, cluster: null }), [move(10, 2, 1)]);
    assert.deepEqual(planMove(s, 10, { column: 2, before: null, cluster: null }), [move(10, 2, 2)]);
  });

  test("onto a column's heading or empty part: the end of the column", () => {
    assert.deepEqual(planMove(board(), 21, { column: 1, before: null, cluster: null }), [move(21, 1, 4)]);
  });

  test("within a column, in front of a cluster: before its first card", () => {
    assert.deepEqual(planMove(board(), 12, { column: 1, before: 11, cluster: null }), [move(12, 1, 1)]);
    // Where it is already: nothing is sent.
    assert.deepEqual(planMove(board(), 12, { column: 1, before: null, cluster: null }), [move(12, 1, 3)]);
    assert.deepEqual(planMove(board(), 10, { column: 1, before: 11, cluster: null }), []);
  });

  test("onto a cluster in another column: moved after its cards, then grouped", () => {
    assert.deepEqual(planMove(board(), 21, { column: 1, before: null, cluster: "A" }), [
      move(21, 1, 4),
      group(21, "A"),
    ]);
    assert.deepEqual(planMove(board(), 12, { column: 2, before: 20, cluster: "A" }), [
      move(12, 2, 0),
      group(12, "A"),
    ]);
  });

  test("onto a cluster in the same column: grouped, moved only if it must", () => {
    assert.deepEqual(planMove(board(), 12, { column: 1, before: null, cluster: "A" }), [group(12, "A")]);
  });

  test("a clustered card dropped loose leaves its cluster", () => {
    assert.deepEqual(planMove(board(), 13, { column: 2, before: null, cluster: null }), [
      move(13, 2, 2),
      group(13, null),
    ]);
  });

  test("an unknown card or column sends nothing", () => {
    assert.deepEqual(planMove(board(), 99, { column: 1, before: null, cluster: null }), []);
    assert.deepEqual(planMove(board(), 10, { column: 9, before: null, cluster: null }), []);
  });
});

suite("undo", () => {
  test("puts the card back in its column, place and cluster with its new version", () => {
    let s = board();
    const place = placeOf(s, 13);
    assert.deepEqual(place, { card: 13, column: 1, position: 3, group: "A" });
    s = reduce(s, event(6, { type: "card.moved", card: 13, column: 2, position: 2, version: 2 }));
    s = reduce(s, event(7, { type: "card.grouped", card: 13, group: null, version: 3 }));
    assert.deepEqual(planRestore(s, place), [move(13, 1, 3, 3), group(13, "A")]);
  });

  test("nothing to undo when the card is back or gone", () => {
    const s = board();
    assert.deepEqual(planRestore(s, placeOf(s, 10)), []);
    const gone = reduce(s, event(6, { type: "card.deleted", card: 10 }));
    assert.deepEqual(planRestore(gone, placeOf(s, 10)), []);
  });
});

suite("arrow buttons step as the board shows", () => {
  test("a loose card passes a whole cluster", () => {
    const s = board();
    assert.deepEqual(planMove(s, 12, stepTarget(s, 12, "up")), [move(12, 1, 1)]);
    assert.deepEqual(planMove(s, 10, stepTarget(s, 10, "down")), [move(10, 1, 1)]);
    assert.equal(stepTarget(s, 10, "up"), null);
    assert.equal(stepTarget(s, 12, "down"), null);
  });

  test("a clustered card steps among its cluster's cards", () => {
    const s = board();
    assert.deepEqual(planMove(s, 13, stepTarget(s, 13, "up")), [move(13, 1, 1)]);
    assert.equal(stepTarget(s, 11, "up"), null);
    assert.equal(stepTarget(s, 13, "down"), null);
  });

  test("left and right go to the next column, keeping the cluster", () => {
    const s = board();
    assert.deepEqual(planMove(s, 11, stepTarget(s, 11, "right")), [move(11, 2, 1)]);
    assert.equal(stepTarget(s, 11, "left"), null);
    assert.deepEqual(planMove(s, 21, stepTarget(s, 21, "left")), [move(21, 1, 4)]);
  });
});

suite("votes as a phase", () => {
  test("your own dots and votes left follow your events; others' only the total", () => {
    let s = board();
    s = reduce(s, event(6, { type: "vote.cast", card: 12, votes: 1, participant: 7, my_votes: 1, votes_left: 1 }));
    assert.equal(s.cards[12].my_votes, 1);
    assert.equal(s.votesLeft, 1);
    s = reduce(s, event(7, { type: "vote.cast", card: 12, votes: 2 })); // someone else's
    assert.equal(s.cards[12].votes, 2);
    assert.equal(s.cards[12].my_votes, 1);
    assert.equal(s.votesLeft, 1);
    // A server that sends no counts: counted here.
    s = reduce(s, event(8, { type: "vote.retracted", card: 11, votes: 1, participant: 7 }));
    assert.equal(s.cards[11].my_votes, 0);
    assert.equal(s.votesLeft, 2);
  });

  test("an edit sent to everyone keeps your dots", () => {
    let s = board();
    const { my_votes: _mine, ...sent } = s.cards[11]; // as the server sends it to all
    s = reduce(s, event(6, { type: "card.edited", card: { ...sent, text: "new" } }));
    assert.equal(s.cards[11].my_votes, 1);
  });

  test("voting opens and closes with the phase and by hand", () => {
    let s = board();
    s = reduce(s, event(6, { type: "phase.set", phase: "discuss", voting_open: false }));
    assert.equal(s.board.voting_open, false);
    assert.ok(!canOnCard(s, "vote.cast", s.cards[10]));
    assert.ok(!canOnCard(s, "vote.retract", s.cards[11]));
    s = reduce(s, event(7, { type: "voting.set", voting_open: true }));
    assert.ok(canOnCard(s, "vote.cast", s.cards[10]));
  });

  test("hidden cards, no votes left and no dots of yours disable the buttons", () => {
    const s = board();
    assert.ok(!canOnCard(s, "vote.cast", { ...s.cards[10], hidden: true }));
    assert.ok(!canOnCard(s, "vote.cast", { ...s.cards[10], text: null }));
    assert.ok(!canOnCard({ ...s, votesLeft: 0 }, "vote.cast", s.cards[10]));
    assert.ok(canOnCard(s, "vote.retract", s.cards[11]));
    assert.ok(!canOnCard(s, "vote.retract", { ...s.cards[10], my_votes: 0 }));
  });
});

suite("who may drag whose card", () => {
  test("others' cards in the clustering phase only; your own always", () => {
    const s = board({}, [card(10, 1, 0), card(11, 1, 1, { author_id: 8 })]);
    assert.ok(canOnCard(s, "card.move", s.cards[11]));
    const open = reduce(s, event(6, { type: "phase.set", phase: "open" }));
    assert.ok(!canOnCard(open, "card.move", open.cards[11]));
    assert.ok(canOnCard(open, "card.move", open.cards[10]));
    const locked = reduce(s, event(6, { type: "board.locked" }));
    const lockedCan = reduce(
      initialState(),
      { type: "snapshot", seq: 6, board: { ...locked.board }, columns: locked.columns, cards: Object.values(locked.cards),
        votes_left: 2, you: { id: 7, name: "Anna", facilitator: false, can: { "card.move": false } }, presence: [] },
    );
    assert.ok(!canOnCard(lockedCan, "card.move", lockedCan.cards[10]));
  });
});

suite("what the live region says of moves", () => {
  const T = {
    moved: "%(card)s was moved to %(column)s, place %(place)s.",
    grouped: "%(card)s was put in the cluster %(group)s.",
    ungrouped: "%(card)s was taken out of its cluster.",
    quoted: "“%(text)s”",
    aCard: "A hidden card",
  };

  test("names the card, the column and the place", () => {
    const prev = board();
    const next = reduce(prev, event(6, { type: "card.moved", card: 21, column: 1, position: 0, version: 2 }));
    assert.equal(describe(next.applied[0], prev, next, T), "“card 21” was moved to Now, place 1.");
    const grouped = reduce(next, event(7, { type: "card.grouped", card: 21, group: "A", version: 3 }));
    assert.equal(describe(grouped.applied[0], next, grouped, T), "“card 21” was put in the cluster A.");
    const out = reduce(grouped, event(8, { type: "card.grouped", card: 21, group: null, version: 4 }));
    assert.equal(describe(out.applied[0], grouped, out, T), "“card 21” was taken out of its cluster.");
  });

  test("a long text is shortened and a hidden one never told", () => {
    const s = board({}, [card(10, 1, 0, { text: "x".repeat(80) }), card(11, 1, 1, { text: null, hidden: true })]);
    assert.equal(cardName(s, 10, T), `“${"x".repeat(39)}…”`);
    assert.equal(cardName(s, 11, T), "A hidden card");
  });
});

suite("a locked board", () => {
  test("refuses participants everything once the lock arrives, facilitators nothing", () => {
    const s = reduce(board(), event(6, { type: "board.locked" }));
    assert.ok(!canOnCard(s, "card.move", s.cards[10]));
    assert.ok(!canOnCard(s, "vote.cast", s.cards[10]));
    const fac = reduce(board({ you: { id: 1, name: "F", facilitator: true } }), event(6, { type: "board.locked" }));
    assert.ok(canOnCard(fac, "card.move", fac.cards[10]));
    const open = reduce(s, event(7, { type: "board.unlocked" }));
    assert.ok(canOnCard(open, "card.move", open.cards[10]));
  });
});

suite("the timer", () => {
  const parts = () => {
    const classes = new Set(["board-timer--idle"]);
    return {
      el: { dataset: {}, textContent: "" },
      box: { classList: { toggle: (name, on) => (on ? classes.add(name) : classes.delete(name)) } },
      ended: { hidden: true },
      classes,
    };
  };

  test("runs, then shows and says once that the time is up", async () => {
    const { timer } = await import("../../../static/js/workshops/board/render.js");
    const said = [];
    const p = parts();
    const clock = timer(p.el, { announce: (t) => said.push(t), T: { timeUp: "Time is up." }, box: p.box, ended: p.ended });
    clock.set(new Date(Date.now() + 61000).toISOString());
    clock.tick(0);
    assert.match(p.el.textContent, /^1:0[01]$/);
    assert.ok(!p.classes.has("board-timer--ended") && p.ended.hidden);
    clock.set(new Date(Date.now() - 1000).toISOString());
    clock.tick(0);
    clock.tick(0);
    assert.equal(p.el.textContent, "0:00");
    assert.ok(p.classes.has("board-timer--ended"));
    assert.equal(p.ended.hidden, false);
    assert.deepEqual(said, ["Time is up."]);
    clock.set(null);
    clock.tick(0);
    assert.ok(p.classes.has("board-timer--idle") && !p.classes.has("board-timer--ended"));
  });
});

test("a hidden card is named as the object of a sentence in its own form", () => {
  const s = board({}, [card(11, 1, 0, { text: null, hidden: true })]);
  const T = { aCard: "A hidden card", aCardObject: "piilotetun kortin" };
  assert.equal(cardName(s, 11, T, true), "piilotetun kortin");
  assert.equal(cardName(s, 11, T), "A hidden card");
});
