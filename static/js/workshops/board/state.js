// The board's state and the one function that changes it: `reduce(state,
// message)` takes a message from the server (DESIGN.md, Board protocol, and the
// README's extensions) and returns the next state. It is pure: no DOM, no clock,
// no globals; an unchanged state is returned as the same object, and a changed
// one shares every part that did not change, so the renderer can compare parts
// by identity.
//
// `applied` lists the events this message applied (an event that fills a gap can
// apply the ones buffered behind it), for the announcer.

export function initialState() {
  return {
    seq: 0,
    synced: false, // a snapshot has arrived
    board: {},
    columns: [], // [{id, title, position}] in board order
    cards: {}, // id -> card
    order: {}, // column id -> [card ids], top to bottom
    you: null,
    canFor: null, // the phase and lock `you.can` was made for
    votesLeft: 0,
    presence: [],
    buffer: {}, // seq -> event message that arrived ahead of a gap
    wantSnapshot: false, // the state can only be trusted again after a snapshot
    removed: false, // this participant was removed from the workshop
    error: null, // the last error answer {code, message, op}
    applied: [],
  };
}

export function reduce(state, message) {
  switch (message.type) {
    case "snapshot":
      return drain(fromSnapshot(state, message));
    case "event":
      return receive(state, message);
    case "error":
      return receiveError(state, message);
    case "presence":
      return { ...state, presence: message.participants, applied: [] };
    default: // ack, pong and unknown types change nothing here
      return state;
  }
}

// --- Snapshot, numbering, gaps ----------------------------------------------------

const byPosition = (a, b) => a.position - b.position || a.id - b.id;

function fromSnapshot(state, snap) {
  const columns = snap.columns.slice().sort(byPosition);
  const order = Object.fromEntries(columns.map((c) => [c.id, []]));
  const cards = {};
  for (const card of snap.cards.slice().sort(byPosition)) {
    cards[card.id] = card;
    if (order[card.column]) order[card.column].push(card.id);
  }
  return {
    ...state,
    seq: snap.seq,
    synced: true,
    board: snap.board,
    columns,
    cards,
    order,
    you: snap.you,
    canFor: { phase: snap.board.phase, locked: snap.board.locked },
    votesLeft: snap.votes_left,
    presence: snap.presence,
    wantSnapshot: false,
    applied: [],
  };
}

function receive(state, message) {
  if (message.seq <= state.seq) return state; // seen already (snapshot or resync)
  if (message.seq > state.seq + 1 || !state.synced) {
    return { ...state, buffer: { ...state.buffer, [message.seq]: message }, applied: [] };
  }
  const next = applyEvent({ ...state, applied: [] }, message.event);
  return drain({ ...next, seq: message.seq });
}

// Apply the buffered events that now follow on; drop those already covered.
function drain(state) {
  const seqs = Object.keys(state.buffer).map(Number);
  if (!seqs.length) return state;
  const buffer = {};
  for (const seq of seqs) if (seq > state.seq) buffer[seq] = state.buffer[seq];
  let next = { ...state, buffer };
  while (next.buffer[next.seq + 1]) {
    const { [next.seq + 1]: message, ...rest } = next.buffer;
    next = { ...applyEvent({ ...next, buffer: rest }, message.event), seq: message.seq };
  }
  return next;
}

/** True while events are buffered behind a missing one: time to resync. */
export const hasGap = (state) => Object.keys(state.buffer).length > 0;

function receiveError(state, message) {
  const error = { code: message.code, message: message.message, op: message.op ?? null };
  let next = { ...state, error, applied: [] };
  // A conflict carries the card as it is now: take it.
  if (message.code === "conflict" && message.card) next = putCard(next, message.card);
  return next;
}

// --- Cards and columns ------------------------------------------------------------

function without(list, id) {
  const index = list.indexOf(id);
  return index < 0 ? list : [...list.slice(0, index), ...list.slice(index + 1)];
}

function insertAt(list, id, position) {
  const at = Math.max(0, Math.min(position ?? list.length, list.length));
  return [...list.slice(0, at), id, ...list.slice(at)];
}

function takeOut(order, cardId, column) {
  const list = column !== undefined ? order[column] : undefined;
  if (list && list.includes(cardId)) return { ...order, [column]: without(list, cardId) };
  const next = { ...order };
  for (const [key, ids] of Object.entries(order)) next[key] = without(ids, cardId);
  return next;
}

// Add a card or update a known one; a card that changed column (or was not
// placed yet) goes to its `position`.
function putCard(state, card) {
  const known = state.cards[card.id];
  // A card sent to everyone alike carries no `my_votes`: the one known stays.
  const merged = { ...known, ...card };
  let order = state.order;
  const placed = known && (order[known.column] || []).includes(card.id);
  if (!placed || known.column !== merged.column) {
    order = takeOut(order, card.id, known && known.column);
    if (order[merged.column]) {
      order = { ...order, [merged.column]: insertAt(order[merged.column], card.id, merged.position) };
    }
  }
  return { ...state, cards: { ...state.cards, [card.id]: merged }, order };
}

function patchCard(state, id, fields) {
  const card = state.cards[id];
  if (!card) return state;
  return { ...state, cards: { ...state.cards, [id]: { ...card, ...fields } } };
}

function moveCard(state, e) {
  const card = state.cards[e.card];
  if (!card) return state;
  let order = takeOut(state.order, e.card, card.column);
  if (order[e.column]) order = { ...order, [e.column]: insertAt(order[e.column], e.card, e.position) };
  const moved = { ...card, column: e.column, position: e.position, version: e.version };
  return { ...state, order, cards: { ...state.cards, [e.card]: moved } };
}

function deleteCard(state, id) {
  if (!state.cards[id]) return state;
  const { [id]: gone, ...cards } = state.cards;
  return { ...state, cards, order: takeOut(state.order, id, gone.column) };
}

function putColumns(state, incoming) {
  const byId = new Map(state.columns.map((c) => [c.id, c]));
  for (const c of incoming) byId.set(c.id, { ...byId.get(c.id), ...c });
  const columns = [...byId.values()].sort(byPosition);
  const order = { ...state.order };
  for (const c of columns) if (!order[c.id]) order[c.id] = [];
  return { ...state, columns, order };
}

function renameColumn(state, column) {
  const known = state.columns.find((c) => c.id === column.id);
  if (!known) return state;
  return {
    ...state,
    columns: state.columns.map((c) => (c.id === column.id ? { ...c, title: column.title } : c)),
  };
}

// --- Events -------------------------------------------------------------------------

function applyEvent(state, e) {
  const next = changeFor(state, e);
  return { ...next, applied: [...state.applied, e] };
}

function changeFor(state, e) {
  const mine = !!state.you && e.participant === state.you.id;
  const board = (fields) => ({ ...state, board: { ...state.board, ...fields } });
  switch (e.type) {
    case "card.added":
    case "card.edited":
      return putCard(state, e.card);
    case "card.moved":
      return moveCard(state, e);
    case "card.deleted":
      return deleteCard(state, e.card);
    case "card.grouped":
      return patchCard(state, e.card, { group: e.group, version: e.version });
    case "vote.cast":
    case "vote.retracted": {
      // The voter's own copy says whose dots they were and how many are left;
      // everyone else learns only the card's new total.
      const next = patchCard(state, e.card, { votes: e.votes });
      if (!mine || !next.cards[e.card]) return next;
      const step = e.type === "vote.cast" ? 1 : -1;
      const had = next.cards[e.card].my_votes || 0;
      const withMine = patchCard(next, e.card, { my_votes: e.my_votes ?? Math.max(0, had + step) });
      const left = e.votes_left ?? Math.max(0, next.votesLeft - step);
      return { ...withMine, votesLeft: left };
    }
    case "vote.budget_set": {
      // Votes left depend on votes this state does not hold: ask for a snapshot.
      const next = e.participant === null || e.participant === undefined
        ? board({ vote_budget: e.budget })
        : state;
      const affected = e.participant === null || e.participant === undefined || mine;
      return affected ? { ...next, wantSnapshot: true } : next;
    }
    case "phase.set":
      return board(withVoting({ phase: e.phase }, e));
    case "voting.set":
      return board(withVoting({}, e));
    case "timer.started":
      return board({ timer_ends_at: e.ends_at });
    case "timer.stopped":
      return board({ timer_ends_at: null });
    case "board.locked":
      return board({ locked: true });
    case "board.unlocked":
      return board({ locked: false });
    case "board.revealed": {
      let next = e.phase ? board(withVoting({ phase: e.phase }, e)) : state;
      for (const card of e.cards || []) next = putCard(next, card);
      return next;
    }
    case "participant.removed":
      return mine ? { ...state, removed: true } : state;
    case "column.added":
      return putColumns(state, [e.column]);
    case "column.renamed":
      return renameColumn(state, e.column);
    case "columns.reordered":
      return putColumns(state, e.columns);
    default:
      return state;
  }
}

// Whether voting is open travels with the events that change it.
const withVoting = (fields, e) =>
  typeof e.voting_open === "boolean" ? { ...fields, voting_open: e.voting_open } : fields;

// --- Questions the views ask --------------------------------------------------------

/** A hidden card of someone else's in silent writing: no text to show. */
export const isWithheld = (card) => card.text === null || card.text === undefined;

export const columnTitle = (state, id) => (state.columns.find((c) => c.id === id) || {}).title || "";

/** Voting is open (a server that does not say: open, as before voting phases). */
export const votingOpen = (state) => state.board.voting_open !== false;
