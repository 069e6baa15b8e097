"""Every write of the advice desk, one function per use case, by concern:

- `events`: the chat's numbered log (`CHATS`, a `core.realtime` stream) and the
  unnumbered signals (typing, queue position);
- `chats`: the resident's side — `chat_start`, `resident_chat` (the access
  check), `message_send`, `chat_close`, `rating_give` (the last three serve the
  socket and the pages' form posts alike; the advisor passes `advisor`);
- `queue`: the queue on the wire and offline questions returning to it;
- `desk`: the advisor's side — `advisor_status_set`, `chat_accept`,
  `chat_transfer`, `note_add`, `chat_block`;
- `presence`: who is on a chat or at the desk, on a lease.

Import the modules (`from advice.services import chats`). Reads are in
`advice.selectors`, who may do what in `advice.rules`.
"""
