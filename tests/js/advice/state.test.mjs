// A chat's state through a reconnect: repeats change nothing, a gap asks for a
// resync instead of being applied, messages are never doubled.
import assert from "node:assert/strict";
import { test } from "node:test";

import { initialState, reduce, waitMinutes } from "../../../static/js/advice/state.js";

const msg = (id, author = "resident", text = `m${id}`) => ({ id, author, name: "", text, sent_at: "" });
const snapshot = {
  type: "snapshot",
  seq: 2,
  chat: { id: 7, status: "queued", queue_position: 3, estimated_wait_s: 600 },
  messages: [msg(1)],
};

test("a snapshot replaces everything, then events follow in order", () => {
  let s = reduce(initialState(), snapshot);
  assert.equal(s.seq, 2);
  s = reduce(s, { type: "event", seq: 3, event: { type: "chat.accepted", advisor_name: "Aino" } });
  s = reduce(s, { type: "event", seq: 4, event: { type: "message.sent", message: msg(2, "advisor") } });
  assert.equal(s.chat.status, "active");
  assert.equal(s.chat.advisor_name, "Aino");
  assert.deepEqual(s.messages.map((m) => m.id), [1, 2]);
});

test("events replayed after a reconnect are not applied twice", () => {
  let s = reduce(initialState(), snapshot);
  const e = { type: "event", seq: 3, event: { type: "message.sent", message: msg(2) } };
  s = reduce(s, e);
  s = reduce(s, e);
  assert.equal(s.messages.length, 1 + 1);
  assert.deepEqual(s.applied, []);
});

test("a missed event is a gap: nothing applied, resync wanted", () => {
  let s = reduce(initialState(), snapshot);
  s = reduce(s, { type: "event", seq: 5, event: { type: "message.sent", message: msg(9) } });
  assert.equal(s.gap, true);
  assert.equal(s.seq, 2);
  assert.equal(s.messages.length, 1);
  s = reduce(s, { type: "event", seq: 3, event: { type: "message.sent", message: msg(2) } });
  assert.equal(s.gap, false);
});

test("a message already shown by a snapshot is not shown again by an event", () => {
  let s = reduce(initialState(), { ...snapshot, messages: [msg(1), msg(2)], seq: 3 });
  s = reduce(s, { type: "event", seq: 4, event: { type: "message.sent", message: msg(2) } });
  assert.equal(s.messages.length, 2);
  assert.equal(s.seq, 4);
});

test("queue position, typing and close", () => {
  let s = reduce(initialState(), snapshot);
  s = reduce(s, { type: "event", event: { type: "queue.position", position: 1, estimated_wait_s: 90 } });
  assert.equal(s.chat.queue_position, 1);
  assert.equal(waitMinutes(s.chat.estimated_wait_s), 2);
  s = reduce(s, { type: "event", event: { type: "typing", author: "advisor" } });
  assert.equal(s.typing, true);
  s = reduce(s, { type: "event", seq: 3, event: { type: "chat.closed" } });
  assert.equal(s.chat.status, "closed");
  assert.equal(s.typing, false);
});
