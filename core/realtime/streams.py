"""A numbered stream: gap-free `seq`, an event log with idempotent ops, broadcasts.

A `Stream` describes one kind of stream by its models and names, so the board
today and the advice-desk chat tomorrow share the mechanism:

- `model`: the row that holds the stream's `seq` (the last number given out);
- `event_model`: the log, with a foreign key named `stream_field` to that row and
  the fields `seq`, `type`, `op`, `private_to` and `payload`, plus a foreign key
  named `actor_field` to whoever sent the change, with unique constraints on
  `(stream, seq)` and on `(actor, op)` for non-empty ops.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.realtime import stages
from core.realtime.broadcast import group_send
from core.realtime.protocol import event_message


def _unchanged(payload: dict[str, Any]) -> dict[str, Any]:
    return payload


def _closes_nobody(event: models.Model) -> None:
    return None


@dataclass(frozen=True)
class Applied:
    """A change's place in its stream; `duplicate` when its op was applied before."""

    op: str
    seq: int
    duplicate: bool = False


@dataclass(frozen=True)
class Stream:
    model: type[models.Model]
    event_model: type[models.Model]
    stream_field: str
    actor_field: str
    # Channel-layer names: group `<name>.<id>`, messages `<name>.event` and
    # `<name>.presence` carrying the stream's id under `<name>`.
    name: str
    # A client further behind than this gets a snapshot instead of the events.
    resync_max_events: int = 1000
    # The payload as anyone but `private_to` may see it.
    redact: Callable[[dict[str, Any]], dict[str, Any]] = field(default=_unchanged)
    # Whose sockets a logged event closes, read back from the log (as `log`'s
    # `closes` said when it was written), for events a hub fills in from the log.
    closes_of: Callable[[models.Model], int | None] = field(default=_closes_nobody)

    def group(self, stream_id: int) -> str:
        return f"{self.name}.{stream_id}"

    # --- Numbering ---------------------------------------------------------------

    def take_seq(self, stream_id: int, returning: Sequence[str] = ()) -> tuple | None:
        """Increment the row's `seq`; `(seq, *returning)` as now stored, or None.

        One statement, `UPDATE … SET seq = seq + 1 … RETURNING`: it takes the row's
        lock (PostgreSQL; SQLite's write transaction holds the whole database)
        until the transaction ends, and the values it returns are the latest
        committed ones. Every change of a stream is serialised on it, and a
        refused change rolls its number back with its transaction, so the
        sequence stays gap-free.
        """
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(
            ["seq"]
            + [
                connection.ops.quote_name(self.model._meta.get_field(n).column)
                for n in returning
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET seq = seq + 1 WHERE id = %s "  # noqa: S608 - our names
                f"RETURNING {columns}",
                [stream_id],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return (row[0], *self._from_db(returning, row[1:]))

    def _from_db(self, names: Sequence[str], values: Sequence[Any]) -> list[Any]:
        converted = []
        for name, value in zip(names, values, strict=True):
            model_field = self.model._meta.get_field(name)
            if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
                value = parse_datetime(value)  # SQLite hands back the stored text
                if value is not None and timezone.is_naive(value):
                    value = timezone.make_aware(value, UTC)
            elif isinstance(model_field, models.BooleanField) and value is not None:
                value = bool(value)
            converted.append(value)
        return converted

    def row(self, stream_id: int, values: dict[str, Any]) -> models.Model:
        """A model instance from values `take_seq` returned (other fields deferred)."""
        values = {"id": stream_id, **values}
        # from_db takes the values in the model's field order.
        names = [
            f.attname for f in self.model._meta.concrete_fields if f.attname in values
        ]
        return self.model.from_db(connection.alias, names, [values[n] for n in names])

    # --- Idempotent ops ----------------------------------------------------------

    def op_seq(self, actor_id: int, op: str) -> int | None:
        """The seq of `op` if this actor's change was applied already."""
        return (
            self.event_model.objects.filter(
                **{f"{self.actor_field}_id": actor_id}, op=op
            )
            .values_list("seq", flat=True)
            .first()
        )

    def op_seq_subquery(self, op: str) -> Subquery:
        """`op_seq` as a subquery on an actor row (`OuterRef("pk")`), to annotate."""
        return Subquery(
            self.event_model.objects.filter(
                **{self.actor_field: OuterRef("pk")}, op=op
            ).values("seq")[:1]
        )

    # --- The log -----------------------------------------------------------------

    def log(
        self,
        stream_id: int,
        seq: int,
        kind: str,
        payload: dict[str, Any],
        *,
        actor_id: int | None = None,
        op: str = "",
        private_to: int | None = None,
        closes: int | None = None,
    ) -> models.Model:
        """Write event `seq` (one INSERT) and broadcast it on commit.

        `private_to`: only this actor may see the full payload (the others get it
        redacted); `closes`: this actor's sockets close after receiving it.
        """
        event = self.event_model.objects.create(
            **{
                f"{self.stream_field}_id": stream_id,
                f"{self.actor_field}_id": actor_id,
            },
            seq=seq,
            type=kind,
            op=op,
            private_to_id=private_to,
            payload={"type": kind, **payload},
        )
        transaction.on_commit(lambda: self.broadcast(event, closes=closes))
        return event

    def broadcast(self, event: models.Model, *, closes: int | None = None) -> None:
        """Send the event once to the stream's group, already encoded for the wire."""
        message = self.event_broadcast(event, closes=closes)
        stages.stamp(message, seq=event.seq, op=event.op)
        group_send([(self.group(message[self.name]), message)])

    def event_broadcast(
        self, event: models.Model, *, closes: int | None = None
    ) -> dict[str, Any]:
        """The channel-layer message of one event.

        One message per event: `text` is what everyone receives (redacted); when
        the event is private to one actor, `private_text` carries the full payload
        and each process's hub sends it to that actor's sockets only. The full
        payload never leaves the server for anyone else.
        """
        stream_id = getattr(event, f"{self.stream_field}_id")
        private_to = event.private_to_id
        message = {
            "type": f"{self.name}.event",
            self.name: stream_id,
            "text": json.dumps(
                event_message(event.seq, self.redact(event.payload), event.op)
            ),
            "private_to": private_to,
            "removed": closes,
            "seq": event.seq,  # for the hubs, which deliver in seq order
        }
        if private_to:
            message["private_text"] = json.dumps(
                event_message(event.seq, event.payload, event.op)
            )
        return message

    def logged_broadcasts(
        self, stream_id: int, first: int, before: int
    ) -> list[dict[str, Any]] | None:
        """The broadcasts of events `first` … `before - 1` read back from the log,
        or None when it no longer holds them all (for a hub filling a gap)."""
        events = list(
            self.event_model.objects.filter(
                **{f"{self.stream_field}_id": stream_id},
                seq__gte=first,
                seq__lt=before,
            ).order_by("seq")
        )
        if [event.seq for event in events] != list(range(first, before)):
            return None
        return [
            self.event_broadcast(event, closes=self.closes_of(event))
            for event in events
        ]

    def events_after(
        self, stream_id: int, last_seq: int, *, viewer_id: int | None
    ) -> list[dict[str, Any]] | None:
        """The `event` frames after `last_seq`, or None: send a snapshot instead.

        Private events are whole only for `viewer_id` (None: redacted for all).

        None when `last_seq` is 0, ahead of the stream, more than
        `resync_max_events` behind, or older than the log still holds.
        """
        current = (
            self.model.objects.filter(pk=stream_id)
            .values_list("seq", flat=True)
            .first()
        )
        if current is None or last_seq <= 0 or last_seq > current:
            return None
        if current - last_seq > self.resync_max_events:
            return None
        events = list(
            self.event_model.objects.filter(
                **{f"{self.stream_field}_id": stream_id}, seq__gt=last_seq
            ).order_by("seq")
        )
        if len(events) != current - last_seq or (
            events and events[0].seq != last_seq + 1
        ):
            return None  # the log no longer holds them all
        frames = []
        for event in events:
            payload = event.payload
            if event.private_to_id and event.private_to_id != viewer_id:
                payload = self.redact(payload)
            frames.append(event_message(event.seq, payload, event.op))
        return frames

    # --- Presence ------------------------------------------------------------------

    def presence_send(self, stream_id: int, participants: list[dict]) -> None:
        """Send the stream's presence list to everyone on it (encoded once)."""
        text = json.dumps({"type": "presence", "participants": participants})
        group_send(
            [
                (
                    self.group(stream_id),
                    {
                        "type": f"{self.name}.presence",
                        self.name: stream_id,
                        "text": text,
                    },
                )
            ]
        )
