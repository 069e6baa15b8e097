"""The realtime mechanism: numbered streams of events pushed over WebSockets.

A *stream* is a row with a `seq` column (a workshop board today, an advice-desk
chat next) and a log of events numbered by it. What the mechanism guarantees, and
where each part lives:

- `streams.Stream`: gap-free sequence numbers taken with `UPDATE … SET seq = seq
  + 1 … RETURNING` (the row lock until commit serialises the stream's changes; a
  refused change rolls its number back), idempotent ops (a unique constraint on
  the log's `(actor, op)`), the events after a `last_seq` for a resync, and the
  on-commit broadcast of each event, encoded once.
- `dbcalls`: where the database work runs (a few threads on PostgreSQL).
- `broadcast`: channel-layer sends made on commit, handed to the event loop that
  called the database thread, in commit order.
- `hub.StreamHub`: the per-process fan-out (one group member per process).
- `presence.LeaseHeartbeat`: the presence lease renewed by one UPDATE per beat.
- `consumer.StreamConsumer`: `hello {last_seq}` → snapshot or missed events,
  changes rate-limited and answered with `ack` after commit, `ping` → `pong`.
- `protocol`: the envelope (`type`, `op`), the error codes and `ProtocolError`.

Nothing here knows what a board is: apps subclass and parameterise.
"""
