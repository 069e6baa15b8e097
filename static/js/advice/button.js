// The chat button on every page. Without JavaScript it is a link to /advice/;
// with it, the chat opens in place as a panel (our pages forbid framing), so a
// resident filling in a dream or feedback form asks without leaving it. The
// panel shows the server's own fragments (the start form, then the chat) and
// sends their forms with fetch; the page's path goes along as `origin_path`.
// Focus moves into the panel when it opens and back to the button when Escape
// or the close button shuts it.

import { mountChat } from "./chat_view.js";

const OPEN_CHAT = "advice.openChat"; // this tab's chat, so another page reopens it

export function panelUrl(url) {
  const u = new URL(url, location.href);
  u.searchParams.set("panel", "1");
  return u.pathname + u.search;
}

function start(button) {
  const doc = button.ownerDocument;
  // The button's own words: its name is the panel's title (no data block on every page).
  const T = { title: button.textContent.trim(), close: button.dataset.close, failed: button.dataset.failed };
  let panel = null;
  let body = null;
  let chat = null;

  function build() {
    panel = doc.createElement("section");
    panel.className = "advice-panel";
    panel.id = "advice-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "advice-panel-title");
    panel.hidden = true;
    const head = doc.createElement("div");
    head.className = "advice-panel__head";
    const title = doc.createElement("h2");
    title.id = "advice-panel-title";
    title.tabIndex = -1;
    title.textContent = T.title;
    const close = doc.createElement("button");
    close.type = "button";
    close.className = "button button--secondary button--small";
    close.textContent = T.close;
    close.addEventListener("click", hide);
    head.append(title, close);
    body = doc.createElement("div");
    body.className = "advice-panel__body";
    body.setAttribute("aria-live", "off");
    panel.append(head, body);
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        hide();
      }
    });
    // Forms the chat component did not take over (start, transcript, a
    // form post before the socket is live) are sent here and answered in place.
    panel.addEventListener("submit", (e) => {
      if (e.defaultPrevented) return;
      e.preventDefault();
      send(e.target, e.submitter);
    });
    doc.body.append(panel);
    button.setAttribute("aria-controls", panel.id);
  }

  async function load(url, init) {
    body.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, { credentials: "same-origin", ...init });
      if (response.status === 404 && sessionStorage.getItem(OPEN_CHAT)) {
        // The chat is gone (another session, or its transcript expired): start anew.
        sessionStorage.removeItem(OPEN_CHAT);
        return load(panelUrl(button.href));
      }
      const html = await response.text();
      const parsed = new DOMParser().parseFromString(html, "text/html");
      const fragment = parsed.querySelector("[data-advice-fragment]");
      if (!fragment) throw new Error("no fragment");
      if (chat) chat.stop();
      chat = null;
      body.replaceChildren(doc.importNode(fragment, true));
      const chatRoot = body.querySelector("[data-advice-chat]");
      if (chatRoot) {
        sessionStorage.setItem(OPEN_CHAT, chatRoot.dataset.url);
        chat = mountChat(chatRoot);
      } else {
        const origin = body.querySelector("input[name$=origin_path]");
        if (origin) origin.value = location.pathname;
      }
      const problem = body.querySelector(".message--error[tabindex]:not([hidden])");
      (problem || panel.querySelector("h2")).focus();
    } catch {
      body.replaceChildren(doc.createTextNode(T.failed));
    } finally {
      body.removeAttribute("aria-busy");
    }
  }

  function send(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    data.set("panel", "1");
    return load(form.action, { method: "POST", body: data });
  }

  function show() {
    if (!panel) build();
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    if (!body.firstChild) {
      const open = sessionStorage.getItem(OPEN_CHAT);
      load(panelUrl(open || button.href));
    } else {
      panel.querySelector("h2").focus();
    }
  }

  function hide() {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }

  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; // a new tab
    e.preventDefault();
    if (panel && !panel.hidden) hide();
    else show();
  });
}

const button = document.querySelector("[data-advice-button]");
if (button && !document.querySelector("[data-advice-page]")) start(button);
