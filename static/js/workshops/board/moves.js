// Where a card goes, as the board shows it: a column's cards in board order with
// each cluster gathered where its first card stands (the server's page does the
// same, workshops/views/board.py `cluster_items`). Pure: a board state in, plain
// data out. A drop, a button and an undo all become the same protocol changes
// here, so they move cards alike.
//
// A target is {column, before, cluster}: `before` is the card id the moved card
// goes in front of (null: the end), `cluster` the cluster name it joins (null:
// none, i.e. loose in the column).

/** A column's items top to bottom: {kind: "card", id} or {kind: "cluster", name, ids, votes}. */
export function columnItems(state, columnId) {
  const items = [];
  const clusters = new Map();
  for (const id of state.order[columnId] || []) {
    const card = state.cards[id];
    if (!card) continue;
    if (!card.group) {
      items.push({ kind: "card", id });
      continue;
    }
    let cluster = clusters.get(card.group);
    if (!cluster) {
      cluster = { kind: "cluster", name: card.group, ids: [], votes: 0 };
      clusters.set(card.group, cluster);
      items.push(cluster);
    }
    cluster.ids.push(id);
    cluster.votes += card.votes || 0;
  }
  return items;
}

/** The card an item stands at in the column's order (a cluster: its first card). */
export const anchorOf = (item) => (item.kind === "card" ? item.id : item.ids[0]);

/** Where the card is now: enough to put it back. */
export function placeOf(state, cardId) {
  const card = state.cards[cardId];
  if (!card) return null;
  return {
    card: cardId,
    column: card.column,
    position: (state.order[card.column] || []).indexOf(cardId),
    group: card.group || null,
  };
}

// The protocol's position: the index among the column's other cards.
function positionFor(state, cardId, target) {
  const others = (state.order[target.column] || []).filter((id) => id !== cardId);
  const at = (id) => others.indexOf(id);
  if (target.cluster) {
    // Joining a cluster of its own column, a card may stay where it is: the
    // cluster gathers its cards wherever they stand.
    const card = state.cards[cardId];
    if (target.before == null && card.column === target.column) {
      return state.order[target.column].indexOf(cardId);
    }
    const members = others.filter((id) => (state.cards[id] || {}).group === target.cluster);
    if (target.before != null && members.includes(target.before)) return at(target.before);
    return members.length ? at(members[members.length - 1]) + 1 : others.length;
  }
  return target.before != null && others.includes(target.before) ? at(target.before) : others.length;
}

function changesTo(state, cardId, column, position, group) {
  const card = state.cards[cardId];
  const changes = [];
  const index = (state.order[card.column] || []).indexOf(cardId);
  if (card.column !== column || index !== position) {
    // The move first: it carries the version the card has now (a group bumps it).
    changes.push({ type: "card.move", fields: { card: cardId, column, position, version: card.version } });
  }
  if ((card.group || null) !== group) changes.push({ type: "card.group", fields: { card: cardId, group } });
  return changes;
}

/** The changes that put the card at `target` (none when it is there already). */
export function planMove(state, cardId, target) {
  if (!state.cards[cardId] || !state.order[target.column]) return [];
  const group = target.cluster || null;
  return changesTo(state, cardId, target.column, positionFor(state, cardId, target), group);
}

/** The changes that put the card back where `place` (from `placeOf`) says. */
export function planRestore(state, place) {
  if (!place || !state.cards[place.card] || !state.order[place.column]) return [];
  const others = state.order[place.column].filter((id) => id !== place.card);
  const position = Math.min(place.position, others.length);
  return changesTo(state, place.card, place.column, position, place.group);
}

/**
 * The target of a card's arrow button: up and down pass one item as shown (in
 * its cluster: one card of the cluster), left and right go to the end of the
 * next column, into a cluster of the same name if there is one. Null: no step.
 */
export function stepTarget(state, cardId, direction) {
  const card = state.cards[cardId];
  if (!card) return null;
  if (direction === "left" || direction === "right") {
    const ids = state.columns.map((c) => c.id);
    const next = ids[ids.indexOf(card.column) + (direction === "left" ? -1 : 1)];
    return next === undefined ? null : { column: next, before: null, cluster: card.group || null };
  }
  const up = direction === "up";
  if (card.group) {
    const item = columnItems(state, card.column).find((i) => i.kind === "cluster" && i.name === card.group);
    const k = item.ids.indexOf(cardId);
    if (up ? k === 0 : k === item.ids.length - 1) return null;
    const before = up ? item.ids[k - 1] : (item.ids[k + 2] ?? null);
    return { column: card.column, before, cluster: card.group };
  }
  const items = columnItems(state, card.column);
  const k = items.findIndex((i) => i.kind === "card" && i.id === cardId);
  if (up ? k === 0 : k === items.length - 1) return null;
  const beyond = up ? items[k - 1] : items[k + 2];
  return { column: card.column, before: beyond ? anchorOf(beyond) : null, cluster: null };
}
