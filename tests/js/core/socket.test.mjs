// The shared protocol socket against a stand-in WebSocket: the page's own hello
// (the desk's `{chats: {id: last_seq}}`), unacknowledged changes re-sent with the
// same op after a reconnect, nothing re-sent once acknowledged, no return after
// "not found".
import assert from "node:assert/strict";
import { test } from "node:test";

import { backoff, socket } from "../../../static/js/core/socket.js";
import { FakeSocket } from "../fake_socket.mjs";

function setUp(hello) {
  FakeSocket.made = [];
  const scheduled = [];
  const statuses = [];
  const received = [];
  const s = socket({
    url: "ws://x/ws/advice/desk/",
    hello,
    onMessage: (m) => received.push(m),
    onStatus: (st) => statuses.push(st),
    Socket: FakeSocket,
    timers: { setTimeout: (fn, ms) => scheduled.push({ fn, ms }), setInterval: () => 0, clearInterval: () => {} },
  });
  return { s, scheduled, statuses, received };
}

test("the hello is the page's, built again on every connect", () => {
  const seqs = { 3: 0 };
  const { s, scheduled } = setUp(() => ({ chats: { ...seqs } }));
  s.start();
  FakeSocket.made[0].open();
  assert.deepEqual(FakeSocket.made[0].sent, [{ type: "hello", chats: { 3: 0 } }]);
  seqs[3] = 5;
  FakeSocket.made[0].drop();
  scheduled[0].fn();
  FakeSocket.made[1].open();
  assert.deepEqual(FakeSocket.made[1].sent[0], { type: "hello", chats: { 3: 5 } });
});

test("a change not acknowledged is sent again with the same op; an acknowledged one is not", () => {
  let seq = 0;
  const { s, scheduled } = setUp(() => ({ last_seq: seq }));
  s.start();
  const first = FakeSocket.made[0];
  first.open();
  const done = s.change("message.send", { text: "hei" });
  const lost = s.change("message.send", { text: "moi" });
  first.receive({ type: "ack", op: done, seq: 1 });
  seq = 1;
  assert.equal(s.pendingCount(), 1);
  first.drop();
  assert.ok(scheduled[0].ms >= 250 && scheduled[0].ms <= 500);
  scheduled[0].fn();
  const second = FakeSocket.made[1];
  second.open();
  assert.deepEqual(second.sent, [
    { type: "hello", last_seq: 1 },
    { type: "message.send", op: lost, text: "moi" },
  ]);
  second.receive({ type: "error", op: lost, code: "too_large", message: "…" });
  assert.equal(s.pendingCount(), 0);
});

test("a change made while offline waits for the connection", () => {
  const { s } = setUp(() => ({ last_seq: 0 }));
  s.start();
  const op = s.change("message.send", { text: "offline" });
  assert.deepEqual(FakeSocket.made[0].sent, []);
  FakeSocket.made[0].open();
  assert.deepEqual(FakeSocket.made[0].sent[1], { type: "message.send", op, text: "offline" });
});

test("not found or removed: no reconnect", () => {
  const { s, scheduled, statuses } = setUp(() => ({ last_seq: 0 }));
  s.start();
  FakeSocket.made[0].open();
  FakeSocket.made[0].drop(4404);
  assert.equal(scheduled.length, 0);
  assert.equal(statuses.at(-1), "closed");
});

test("backoff grows to ten seconds at most", () => {
  assert.equal(backoff(0, 1), 500);
  assert.equal(backoff(10, 1), 10000);
  assert.equal(backoff(10, 0), 5000);
});
