// The give-feedback form's enhancements. Without this script the form still works:
// a plain grouped <select> of services, an address field, no similar answers.
//  1. a search box that narrows the service list (and shows the chosen city's only);
//  2. a Leaflet map that fills the hidden lat/long fields;
//  3. answered feedback like the text being typed ("maybe already answered").
const form = document.getElementById("feedback-form");

const readJson = (id) => {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
};

function serviceFilter() {
  const select = form.elements.namedItem("service");
  const city = form.elements.namedItem("city");
  const box = document.getElementById("service-search");
  const search = document.getElementById("service-filter");
  const count = document.getElementById("service-count");
  const cities = readJson("service-cities") || {};
  if (!select || !box || !search) return;
  box.hidden = false;
  const options = [...select.querySelectorAll("option")].filter((o) => o.value);
  const fold = (text) => text.toLocaleLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  const apply = () => {
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    const chosenCity = city ? city.value : "";
    let shown = 0;
    for (const option of options) {
      const group = option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "";
      const text = fold(`${option.textContent} ${group}`);
      const inCity = !chosenCity || cities[option.value] === chosenCity;
      const visible = inCity && words.every((w) => text.includes(w));
      // A hidden option cannot be picked; the chosen one stays visible.
      option.hidden = !visible && !option.selected;
      option.disabled = !visible && !option.selected;
      if (visible) shown += 1;
    }
    for (const group of select.querySelectorAll("optgroup")) {
      group.hidden = [...group.children].every((o) => o.hidden);
    }
    if (count) count.textContent = `${shown} / ${options.length}`;
  };
  search.addEventListener("input", apply);
  if (city) city.addEventListener("change", apply);
  apply();
}

// Only the chosen city's districts (their groups are labelled with the city's name).
function districtFilter() {
  const city = form.elements.namedItem("city");
  const district = form.elements.namedItem("district");
  if (!city || !district) return;
  const apply = () => {
    const name = city.selectedIndex > 0 ? city.options[city.selectedIndex].text : "";
    for (const group of district.querySelectorAll("optgroup")) {
      const other = Boolean(name) && group.label !== name;
      group.hidden = other;
      group.disabled = other;
      if (other && group.contains(district.selectedOptions[0])) district.value = "";
    }
  };
  city.addEventListener("change", apply);
  apply();
}

function placeMap() {
  const settings = readJson("map-settings");
  const box = document.getElementById("map-box");
  const canvas = document.getElementById("feedback-map");
  const L = window.L;
  if (!settings || !settings.tiles || !box || !canvas || !L) return;
  const lat = form.elements.namedItem("lat");
  const long = form.elements.namedItem("long");
  const status = document.getElementById("map-status");
  const clear = document.getElementById("map-clear");
  box.hidden = false;
  const [centreLat, centreLong, zoom] = settings.center;
  const map = L.map(canvas, { keyboard: true }).setView([centreLat, centreLong], zoom);
  // The attribution is a setting: shown as text, never parsed as HTML.
  const attribution = document.createElement("span");
  attribution.textContent = settings.attribution;
  L.tileLayer(settings.tiles, { maxZoom: 19, attribution: attribution.innerHTML }).addTo(map);
  let marker = null;
  const show = (point) => {
    if (!point) {
      if (marker) marker.remove();
      marker = null;
      lat.value = "";
      long.value = "";
      status.textContent = "";
      clear.hidden = true;
      return;
    }
    if (marker) marker.setLatLng(point);
    else marker = L.marker(point, { keyboard: false }).addTo(map);
    lat.value = point.lat.toFixed(6);
    long.value = point.lng.toFixed(6);
    status.textContent = `${lat.value}, ${long.value}`;
    clear.hidden = false;
  };
  if (lat.value && long.value) {
    const point = L.latLng(Number(lat.value), Number(long.value));
    show(point);
    map.setView(point, 16);
  }
  map.on("click", (event) => show(event.latlng));
  // Keyboard users mark the map's centre with Enter.
  canvas.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      show(map.getCenter());
    }
  });
  clear.addEventListener("click", () => show(null));
}

function similarAnswers() {
  const url = form.dataset.similarUrl;
  const box = document.getElementById("similar-box");
  const results = document.getElementById("similar-results");
  const title = form.elements.namedItem("title");
  const description = form.elements.namedItem("description");
  const city = form.elements.namedItem("city");
  if (!url || !box || !results || !title || !description) return;
  let timer = null;
  let controller = null;
  let last = "";
  const lookUp = async () => {
    const text = `${title.value} ${description.value}`.trim().slice(0, 500);
    const params = new URLSearchParams({ q: text, city: city ? city.value : "" });
    const query = params.toString();
    if (query === last) return;
    last = query;
    if (text.length < 4) {
      box.hidden = true;
      results.replaceChildren();
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${url}?${query}`, {
        headers: { Accept: "text/html" },
        signal: controller.signal,
      });
      if (!response.ok) return;
      // The server's own fragment, every user text in it escaped by the template.
      const html = await response.text();
      const fragment = new DOMParser().parseFromString(html, "text/html");
      results.replaceChildren(...fragment.body.childNodes);
      box.hidden = !results.querySelector("li");
    } catch (error) {
      if (error.name !== "AbortError") console.warn("similar feedback:", error);
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 500);
  };
  for (const field of [title, description, city]) {
    if (field) field.addEventListener("input", schedule);
  }
  if (title.value || description.value) schedule();
}

// Each enhancement on its own: one that fails leaves the others (and the plain
// form) working.
const enhance = (name, setUp) => {
  try {
    setUp();
  } catch (error) {
    console.warn(`feedback form: ${name} unavailable`, error);
  }
};

if (form) {
  enhance("service search", serviceFilter);
  enhance("district list", districtFilter);
  // Leaflet is a classic deferred script: it has run before this module does.
  enhance("map", placeMap);
  enhance("similar answers", similarAnswers);
  const errors = document.getElementById("form-errors");
  if (errors) errors.focus();
}
