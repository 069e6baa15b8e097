import assert from "node:assert/strict";
import { test } from "node:test";

import { backoff } from "../../../static/js/workshops/board/connection.js";
import { fmt, plural } from "../../../static/js/workshops/board/text.js";

test("fmt fills Django's named placeholders and nothing else", () => {
  assert.equal(fmt("%(name)s added <b>%(column)s</b>", { name: "A", column: "B" }), "A added <b>B</b>");
  assert.equal(fmt("%(missing)s!", {}), "!");
});

test("plural picks the form by the language's rule", () => {
  const votes = { one: "%(n)s ääni", other: "%(n)s ääntä" };
  assert.equal(plural(votes, 1, "fi"), "1 ääni");
  assert.equal(plural(votes, 0, "fi"), "0 ääntä");
  assert.equal(plural(votes, 2, "sv"), "2 ääntä");
});

test("reconnecting backs off up to ten seconds, with jitter", () => {
  assert.equal(backoff(0, 1), 500);
  assert.equal(backoff(0, 0), 250);
  assert.equal(backoff(3, 1), 4000);
  assert.equal(backoff(10, 1), 10000);
});
