// Shows the dreams most like the one being typed, while it is typed (debounced).
// Without this script the same list appears on a confirmation step after saving.
const form = document.getElementById("dream-form");
const box = document.getElementById("similar-box");
const list = document.getElementById("similar-list");
const status = document.getElementById("similar-status");
const labelsNode = document.getElementById("similar-labels");

if (form && box && list && labelsNode) {
  const labels = JSON.parse(labelsNode.textContent);
  const url = form.dataset.similarUrl;
  const title = form.elements.namedItem("title");
  const description = form.elements.namedItem("description");
  const city = form.elements.namedItem("city");
  const seen = form.elements.namedItem("similar_seen");
  let timer = null;
  let controller = null;
  let lastQuery = "";

  const render = (results) => {
    list.replaceChildren();
    for (const dream of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = dream.url;
      link.textContent = dream.title; // textContent: never parsed as HTML
      if (dream.language) link.lang = dream.language; // language of parts
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = ` – ${dream.support_count} ${labels.supports} · ${dream.city} · ${dream.status_label}`;
      item.append(link, meta);
      list.append(item);
    }
    box.hidden = results.length === 0;
    status.textContent = results.length
      ? labels.found.replace("%(count)s", String(results.length))
      : "";
    if (results.length && seen) {
      // The person has seen them here; no need for the confirmation step.
      seen.value = "True";
    }
  };

  const lookUp = async () => {
    const params = new URLSearchParams({
      title: title.value.slice(0, 300),
      description: description.value.slice(0, 2000),
      city: city ? city.value : "",
    });
    const query = params.toString();
    if (query === lastQuery) return;
    lastQuery = query;
    if ((title.value + description.value).trim().length < 4) {
      render([]);
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${url}?${query}`, {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
      if (!response.ok) return;
      const data = await response.json();
      render(data.results || []);
    } catch (error) {
      if (error.name !== "AbortError") console.warn("similar dreams:", error);
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 400);
  };
  for (const field of [title, description, city]) {
    if (field) field.addEventListener("input", schedule);
  }
  if (title.value || description.value) schedule();
}
