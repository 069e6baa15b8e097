// Links in chat messages, made clickable and safe: the text is split into plain
// pieces and http/https addresses (the same pattern as the server's
// `chat_links` filter), and the page builds DOM nodes from the pieces — text
// nodes and <a> elements — never HTML from what someone typed.

const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/gi;
const TRAILING = ".,;:!?)]}»”’";
export const LINK_REL = "noopener noreferrer nofollow";

function splitTrailing(url) {
  let end = url.length;
  while (end > 0 && TRAILING.includes(url[end - 1])) {
    const head = url.slice(0, end);
    // A closing bracket that the address itself opened stays in it.
    if (url[end - 1] === ")" && (head.match(/\(/g) || []).length >= (head.match(/\)/g) || []).length) break;
    end -= 1;
  }
  return [url.slice(0, end), url.slice(end)];
}

/** Only http and https addresses become links (no javascript:, data:, …). */
export function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** `text` as pieces: `{text}` or `{text, href}`, in order, nothing lost. */
export function pieces(text) {
  const out = [];
  const source = String(text ?? "");
  let position = 0;
  for (const match of source.matchAll(URL_PATTERN)) {
    const [url, rest] = splitTrailing(match[0]);
    const href = url.length > "https://".length ? safeHref(url) : null;
    if (!href) continue;
    if (match.index > position) out.push({ text: source.slice(position, match.index) });
    out.push({ text: url, href });
    if (rest) out.push({ text: rest });
    position = match.index + match[0].length;
  }
  if (position < source.length) out.push({ text: source.slice(position) });
  return mergeText(out);
}

function mergeText(list) {
  const merged = [];
  for (const piece of list) {
    const last = merged[merged.length - 1];
    if (last && !last.href && !piece.href) last.text += piece.text;
    else merged.push({ ...piece });
  }
  return merged;
}

/** Append `text` to `parent` as text nodes and safe links. */
export function appendLinked(parent, text) {
  const doc = parent.ownerDocument;
  for (const piece of pieces(text)) {
    if (!piece.href) {
      parent.append(doc.createTextNode(piece.text));
      continue;
    }
    const a = doc.createElement("a");
    a.href = piece.href;
    a.rel = LINK_REL;
    a.target = "_blank";
    a.textContent = piece.text;
    parent.append(a);
  }
  return parent;
}
