// The desk's queue: first in, first out, each queue's head marked; the
// supervisor's per-queue counts and longest waits.
import assert from "node:assert/strict";
import { test } from "node:test";

import { eventChat, perQueue, rows } from "../../../static/js/advice/queue.js";

const chats = [
  { id: 3, city: 1, language: "fi", waiting_s: 30 },
  { id: 1, city: 1, language: "fi", waiting_s: 300 },
  { id: 2, city: null, language: "ru", waiting_s: 120 },
];

test("oldest first, and the head of each queue is the one to take next", () => {
  const list = rows(chats);
  assert.deepEqual(list.map((r) => r.id), [1, 2, 3]);
  assert.deepEqual(list.map((r) => r.head), [true, true, false]);
});

test("per queue: count and longest wait, any city named", () => {
  const queues = perQueue(chats, { anyCity: "Any city", cities: { 1: "Helsinki" } });
  assert.deepEqual(
    queues.map((q) => [q.cityName, q.language, q.waiting, q.longest_s]),
    [
      ["Any city", "ru", 1, 120],
      ["Helsinki", "fi", 2, 300],
    ],
  );
});

test("desk events name their chat", () => {
  assert.equal(eventChat({ type: "event", chat: 7, seq: 2, event: {} }), 7);
  assert.equal(eventChat({ type: "event", event: { chat: 8 } }), 8);
  assert.equal(eventChat({ type: "queue" }), null);
});
