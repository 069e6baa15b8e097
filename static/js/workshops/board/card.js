// One card on the page. Its markup is the page's <template id="board-card-template">,
// rendered by the server from the same include as the cards it sends without
// JavaScript; `cardElement` clones it and `fillCard` writes one card's state into it.

import { canOnCard } from "./permissions.js";
import { isWithheld } from "./state.js";
import { fmt, plural } from "./text.js";

export function cardElement(template) {
  return template.content.firstElementChild.cloneNode(true);
}

const setId = (el, attribute, value) => el && el.setAttribute(attribute, value);

/** Show `el` and point it to `href`, or hide it without an address or text. */
function link(el, href, text) {
  if (!el) return;
  el.hidden = !href;
  if (href) el.href = href;
  else el.removeAttribute("href");
  el.textContent = href ? text : "";
}

// The dream a card became: the server sends `became_dream` on every card; until
// all servers do, the page's own rendering (`seen`: card id -> dream id) tells.
function becameDream(card, view) {
  if (card.became_dream !== undefined) return card.became_dream;
  return view.seen.get(card.id) ?? null;
}

/** Card id -> dream id, from the cards the server rendered into the page. */
export function seenDreams(root) {
  const seen = new Map();
  for (const a of root.querySelectorAll('[data-link="became-dream"][data-dream]')) {
    seen.set(Number(a.closest("[data-card]").dataset.card), Number(a.dataset.dream));
  }
  return seen;
}

/**
 * Card id -> this viewer's votes on it, as the page was rendered: the first
 * snapshot of a server that does not send `my_votes` is completed from it.
 */
export function seenMyVotes(root) {
  const seen = new Map();
  for (const dots of root.querySelectorAll('[data-slot="dots"]')) {
    const li = dots.closest("[data-card]");
    if (li && li.dataset.card) seen.set(Number(li.dataset.card), dots.textContent.length);
  }
  return seen;
}

// `view`: {state, strings, lang, seen, urls: {dream(id), cardDream(id)|null}}
export function fillCard(li, card, view) {
  const { state, strings: T, urls } = view;
  const withheld = isWithheld(card);
  const q = (selector) => li.querySelector(selector);

  li.id = `card-${card.id}`;
  li.dataset.card = card.id;
  li.className = `board-card board-card--${card.color}${withheld ? " board-card--hidden" : ""}`;
  const text = q('[data-slot="text"]');
  text.textContent = withheld ? T.hidden : card.text;
  // The card's own language, so a screen reader pronounces it right (WCAG 3.1.2).
  if (!withheld && card.language) text.lang = card.language;
  else text.removeAttribute("lang");
  text.classList.toggle("board-card__text--hidden", withheld);

  // A card typed in from paper has no author: it names its meeting instead.
  q('[data-slot="author"]').textContent = card.channel === "in_person"
    ? fmt(T.onPaper, { meeting: card.meeting || "" })
    : card.author;
  q('[data-slot="group"]').textContent = card.group || "";
  q('[data-slot="group-part"]').hidden = !card.group;
  q('[data-slot="votes"]').textContent = plural(T.votes, card.votes, view.lang);
  // This viewer's own dots, when the server says (it tells each voter only theirs).
  const mine = card.my_votes || 0;
  q('[data-slot="mine"]').hidden = !mine;
  q('[data-slot="dots"]').textContent = "●".repeat(mine);
  q('[data-slot="mine-text"]').textContent = mine ? plural(T.fromYou, mine, view.lang) : "";

  const dream = becameDream(card, view);
  link(q('[data-link="from-dream"]'), card.from_dream && urls.dream(card.from_dream),
    fmt(T.fromDream, { n: card.from_dream }));
  const became = q('[data-link="became-dream"]');
  if (became) {
    if (!withheld && dream) became.dataset.dream = dream;
    else delete became.dataset.dream;
  }
  link(became, !withheld && dream && urls.dream(dream), fmt(T.becameDream, { n: dream }));
  const toDream = q('[data-link="to-dream"]');
  if (toDream) {
    // A card that already became a dream is not offered again.
    const offered = !withheld && !dream && urls.cardDream;
    toDream.hidden = !offered;
    if (offered) toDream.href = urls.cardDream(card.id);
    else toDream.removeAttribute("href");
  }
  q(".board-card__links").hidden = [...q(".board-card__links").children].every((a) => a.hidden);

  controls(li, card, view, withheld);
}

function controls(li, card, { state }, withheld) {
  const q = (selector) => li.querySelector(selector);
  if (!q('[data-slot="actions"]')) return; // the presenter view has none
  const allowed = (action) => canOnCard(state, action, card);
  const show = (selector, on) => {
    const el = q(selector);
    if (el) el.hidden = !on;
    return on;
  };
  const moves = allowed("card.move");
  show('[data-slot="grip"]', moves);
  // Votes stay in view, disabled while refused (closed, hidden, none left).
  q('[data-act="vote"]').disabled = !allowed("vote.cast");
  q('[data-act="unvote"]').disabled = !allowed("vote.retract");
  const shown = [
    show('[data-act="vote"]', true),
    show('[data-act="unvote"]', true),
    ...["left", "up", "down", "right"].map((act) => show(`[data-act="${act}"]`, moves)),
  ];
  const more = [
    show('[data-form="edit"]', allowed("card.edit")),
    show('[data-form="group"]', allowed("card.group")),
    show('[data-act="delete"]', allowed("card.delete")),
  ];
  show('[data-slot="more"]', more.some(Boolean));
  show('[data-slot="actions"]', shown.some(Boolean) || more.some(Boolean));

  // Labels follow the card's id (the template's copy has none).
  for (const [name, id] of [["edit", `edit-${card.id}`], ["group", `group-${card.id}`]]) {
    const control = q(`[data-form="${name}"] [name]`);
    setId(q(`[data-form="${name}"] label`), "for", id);
    control.id = id;
  }
  const help = q('[data-form="group"] .help');
  help.id = `group-help-${card.id}`;
  setId(q('[data-form="group"] input'), "aria-describedby", help.id);

  // What the person is typing stays; everything else follows the board.
  const area = q('textarea[name="text"]');
  if (li.ownerDocument.activeElement !== area) area.value = withheld ? "" : card.text;
  const group = q('input[name="group"]');
  if (li.ownerDocument.activeElement !== group) group.value = card.group || "";
}
