// The resident's chat page (/advice/chats/<id>/): the server's page, made live.
import { mountChat } from "./chat_view.js";

for (const root of document.querySelectorAll("[data-advice-chat]")) mountChat(root);
