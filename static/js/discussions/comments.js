// Inline replies, comments and likes without a page reload.
// The forms work without JavaScript (post, then redirect); this module posts the
// same forms with fetch() and `Accept: application/json`, and updates the page.

const root = document.querySelector("[data-comments]");

function csrfToken(form) {
  const field = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (field) return field.value;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function announce(text) {
  const status = root.querySelector("[data-comments-status]");
  if (!status) return;
  status.textContent = "";
  window.setTimeout(() => { status.textContent = text; }, 50);
}

async function post(form, extra) {
  const body = new FormData(form);
  if (extra) for (const [key, value] of Object.entries(extra)) body.set(key, value);
  // getAttribute: the like form has an input named "action" that shadows form.action.
  const response = await fetch(form.getAttribute("action"), {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
  });
  let data = {};
  try { data = await response.json(); } catch { data = {}; }
  return { ok: response.ok && data.ok, data };
}

function showError(form, message) {
  let box = form.querySelector("[data-form-error]");
  if (!box) {
    box = document.createElement("p");
    box.className = "errorlist";
    box.setAttribute("data-form-error", "");
    box.setAttribute("role", "alert");
    form.prepend(box);
  }
  box.textContent = message;
}

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

async function onLike(form, event) {
  event.preventDefault();
  const button = form.querySelector("button");
  const action = form.querySelector("input[name=action]");
  button.disabled = true;
  const { ok, data } = await post(form);
  button.disabled = false;
  if (!ok) { announce(data.message || ""); return; }
  action.value = data.liked ? "unlike" : "like";
  button.setAttribute("aria-pressed", data.liked ? "true" : "false");
  button.querySelector("[data-like-count]").textContent = data.like_count;
  announce(button.textContent.trim());
}

function showCount(data) {
  const count = root.querySelector("[data-comment-count]");
  if (count && Number.isInteger(data.comment_count)) count.textContent = data.comment_count;
}

async function onReply(form, event) {
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const { ok, data } = await post(form);
  button.disabled = false;
  if (!ok) { showError(form, data.message || ""); return; }
  const thread = root.querySelector(`[data-replies-for="${form.dataset.commentsReply}"]`);
  const node = fragment(data.html);
  thread.append(node);
  form.reset();
  form.closest("details")?.removeAttribute("open");
  form.querySelector("[data-form-error]")?.remove();
  showCount(data);
  announce(data.message);
  node.setAttribute("tabindex", "-1");
  node.focus();
}

async function onCreate(form, event) {
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const { ok, data } = await post(form);
  button.disabled = false;
  if (!ok) { showError(form, data.message || ""); return; }
  const list = root.querySelector("[data-comment-list]");
  const node = fragment(data.html);
  list.prepend(node);
  form.reset();
  form.querySelector("[data-form-error]")?.remove();
  showCount(data);
  announce(data.message);
  node.setAttribute("tabindex", "-1");
  node.focus();
}

if (root) {
  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("[data-comments-like]")) onLike(form, event);
    else if (form.matches("[data-comments-reply]")) onReply(form, event);
    else if (form.matches("[data-comments-create]")) onCreate(form, event);
  });
}
