// Links in chat messages: http/https only, trailing punctuation outside, the
// rest kept as text (never markup). Run: node --test tests/js/
import assert from "node:assert/strict";
import { test } from "node:test";

import { pieces, safeHref } from "../../../static/js/advice/links.js";

test("an address in prose becomes a link, the full stop after it does not", () => {
  assert.deepEqual(pieces("See https://hel.fi/fi/palvelut. Thanks"), [
    { text: "See " },
    { text: "https://hel.fi/fi/palvelut", href: "https://hel.fi/fi/palvelut" },
    { text: ". Thanks" },
  ]);
});

test("markup stays text and only http(s) addresses are links", () => {
  assert.deepEqual(pieces("<b>x</b> javascript:alert(1) data:text/html,hi"), [
    { text: "<b>x</b> javascript:alert(1) data:text/html,hi" },
  ]);
  assert.equal(safeHref("javascript:alert(1)"), null);
  assert.equal(safeHref("https://kela.fi/"), "https://kela.fi/");
});

test("an address in angle brackets or brackets keeps its own parentheses", () => {
  assert.deepEqual(pieces("<https://hel.fi>"), [
    { text: "<" },
    { text: "https://hel.fi", href: "https://hel.fi/" },
    { text: ">" },
  ]);
  const wiki = pieces("(https://fi.wikipedia.org/wiki/Kela_(virasto))");
  assert.equal(wiki[1].text, "https://fi.wikipedia.org/wiki/Kela_(virasto)");
  assert.equal(wiki[2].text, ")");
});

test("a quote cannot break out of the link", () => {
  const list = pieces('https://x.fi/"onmouseover="alert(1)');
  assert.equal(list[0].href, "https://x.fi/");
  assert.equal(list.map((p) => p.text).join(""), 'https://x.fi/"onmouseover="alert(1)');
});

test("right-to-left text around a link is kept whole", () => {
  const text = "مرحبا https://migri.fi شكرا";
  assert.equal(pieces(text).map((p) => p.text).join(""), text);
  assert.equal(pieces(text)[1].href, "https://migri.fi/");
});
