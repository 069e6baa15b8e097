// The supervisors' view made live: every `queue` message re-draws the table of
// waiting chats per city and language (the socket sends only the supervisor's
// cities' rows and the "any city" ones).

import { socket } from "../core/socket.js";
import { perQueue } from "./queue.js";

const root = document.querySelector("[data-advice-supervisor]");
if (root) start(root);

function start(root) {
  const doc = root.ownerDocument;
  const json = (id) => JSON.parse(doc.getElementById(id).textContent);
  const T = json("advice-supervisor-strings");
  const cities = json("advice-desk-cities");
  const languages = json("advice-desk-languages");
  const body = root.querySelector("[data-desk=queues]");
  const cell = (text) => {
    const td = doc.createElement("td");
    td.textContent = text;
    return td;
  };
  const connection = socket({
    url: `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws/advice/desk/`,
    hello: () => ({ chats: {} }),
    onStatus(status) {
      root.querySelector("[data-desk=connection]").textContent = status === "open" ? T.live : T.reconnecting;
    },
    onMessage(message) {
      if (message.type !== "queue") return;
      const lines = perQueue(message.chats || [], { anyCity: T.anyCity, cities }).map((q) => {
        const tr = doc.createElement("tr");
        const language = cell(languages[q.language] || q.language);
        language.lang = q.language;
        tr.append(cell(q.cityName), language, cell(String(q.waiting)), cell(`${Math.floor(q.longest_s / 60)} min`));
        return tr;
      });
      if (!lines.length) {
        const tr = doc.createElement("tr");
        const td = cell(T.empty);
        td.colSpan = 4;
        tr.append(td);
        lines.push(tr);
      }
      body.replaceChildren(...lines);
    },
  });
  connection.start();
}
