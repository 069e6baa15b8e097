// Texts from the server: `strings` is the catalogue the board page sends in its
// `board-strings` JSON (translated on the server, in the page's language).

/** Fill `%(name)s` placeholders, as Django's `blocktranslate` does. */
export const fmt = (text, values) =>
  String(text ?? "").replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));

/** `forms` = {one, other}: the singular and plural of a counted text. */
export function plural(forms, n, lang = "en") {
  let category = n === 1 ? "one" : "other";
  if (typeof Intl !== "undefined" && Intl.PluralRules) {
    try {
      category = new Intl.PluralRules(lang).select(n);
    } catch {
      // an unknown language: keep the English rule
    }
  }
  return fmt(forms[category] ?? forms.other, { n });
}
