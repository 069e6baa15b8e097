// The board's connection against a stand-in WebSocket: hello with the seq to
// resume from, unacknowledged changes sent again, backoff, and no return after
// a removal (close code 4403).
import assert from "node:assert/strict";
import { test } from "node:test";

import { connection } from "../../../static/js/workshops/board/connection.js";
import { FakeSocket } from "../fake_socket.mjs";

function setUp() {
  FakeSocket.made = [];
  const scheduled = [];
  const received = [];
  const statuses = [];
  let seq = 0;
  const c = connection({
    url: "ws://x/ws/boards/1/",
    lastSeq: () => seq,
    onMessage: (m) => received.push(m),
    onStatus: (s) => statuses.push(s),
    Socket: FakeSocket,
    timers: {
      setTimeout: (fn, ms) => scheduled.push({ fn, ms }),
      setInterval: () => 0, // pings are not what these tests are about
      clearInterval: () => {},
    },
  });
  return { c, scheduled, received, statuses, setSeq: (n) => (seq = n) };
}

test("hello first, then the unacknowledged changes again after a reconnect", () => {
  const { c, scheduled, received, statuses, setSeq } = setUp();
  c.start();
  const first = FakeSocket.made[0];
  first.open();
  assert.deepEqual(first.sent, [{ type: "hello", last_seq: 0 }]);
  const acked = c.change("card.add", { column: 1, text: "a" });
  const lost = c.change("card.add", { column: 1, text: "b" });
  first.receive({ type: "ack", op: acked, seq: 1 });
  assert.equal(received.length, 1);
  setSeq(1);

  first.drop();
  assert.equal(c.isOpen(), false);
  assert.equal(scheduled.length, 1);
  assert.ok(scheduled[0].ms >= 250 && scheduled[0].ms <= 500);
  scheduled[0].fn();
  const second = FakeSocket.made[1];
  second.open();
  assert.deepEqual(second.sent, [
    { type: "hello", last_seq: 1 },
    { type: "card.add", op: lost, column: 1, text: "b" },
  ]);
  assert.deepEqual(statuses, ["connecting", "open", "reconnecting", "connecting", "open"]);
});

test("an error answering an op ends it; the change is not sent again", () => {
  const { c, scheduled } = setUp();
  c.start();
  FakeSocket.made[0].open();
  const op = c.change("card.edit", { card: 1, text: "x", version: 1 });
  FakeSocket.made[0].receive({ type: "error", op, code: "conflict", message: "m" });
  FakeSocket.made[0].drop();
  scheduled[0].fn();
  FakeSocket.made[1].open();
  assert.deepEqual(FakeSocket.made[1].sent.map((m) => m.type), ["hello"]);
});

test("a removed participant does not reconnect", () => {
  const { c, scheduled, statuses } = setUp();
  c.start();
  FakeSocket.made[0].open();
  FakeSocket.made[0].drop(4403);
  assert.equal(scheduled.length, 0);
  assert.equal(statuses.at(-1), "removed");
});

test("changes made offline wait for the connection", () => {
  const { c } = setUp();
  c.start();
  const op = c.change("vote.cast", { card: 3 });
  const socket = FakeSocket.made[0];
  assert.deepEqual(socket.sent, []);
  socket.open();
  assert.deepEqual(socket.sent.at(-1), { type: "vote.cast", op, card: 3 });
});
