// The desk's queue as data, pure: `queue {chats}` arrives whole on every change.
// `rows` orders it first in, first out and marks each queue's head (the chat an
// advisor takes with "Accept the next"); `perQueue` is the supervisor's table.

export function rows(chats) {
  const heads = new Set();
  return [...chats]
    .sort((a, b) => b.waiting_s - a.waiting_s || a.id - b.id)
    .map((chat) => {
      const key = `${chat.city ?? "any"}:${chat.language}`;
      const head = !heads.has(key);
      heads.add(key);
      return { ...chat, head };
    });
}

/** Waiting chats per city and language: count and longest wait, sorted by name. */
export function perQueue(chats, names = {}) {
  const queues = new Map();
  for (const chat of chats) {
    const key = `${chat.city ?? "any"}:${chat.language}`;
    const entry = queues.get(key) || {
      city: chat.city ?? null,
      cityName: chat.city == null ? names.anyCity : names.cities?.[chat.city] ?? String(chat.city),
      language: chat.language,
      waiting: 0,
      longest_s: 0,
    };
    entry.waiting += 1;
    entry.longest_s = Math.max(entry.longest_s, chat.waiting_s);
    queues.set(key, entry);
  }
  return [...queues.values()].sort((a, b) =>
    a.cityName === b.cityName ? a.language.localeCompare(b.language) : String(a.cityName).localeCompare(String(b.cityName)),
  );
}

/** Which chat an event is about: desk events name their chat. */
export const eventChat = (message) => Number(message.chat ?? message.event?.chat ?? message.chat_id ?? 0) || null;
