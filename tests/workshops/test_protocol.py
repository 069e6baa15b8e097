"""`protocol.parse`: pure unit tests, no database, no socket."""

import json

import pytest

from workshops import protocol
from workshops.models import CARD_TEXT_MAX, GROUP_NAME_MAX
from workshops.protocol import ProtocolError, parse


def frame(**data) -> str:
    return json.dumps(data)


def refused(raw) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        parse(raw)
    return caught.value


@pytest.mark.parametrize(
    "raw",
    [None, "", "not json", "[]", "1", '"x"', "null", frame(op="a"), frame(type=3)],
)
def test_frames_that_are_not_typed_objects_are_invalid(raw):
    assert refused(raw).code == protocol.INVALID


def test_bytes_that_are_not_utf8_are_invalid():
    assert refused(b'{"type": "ping", "x": "\xff"}').code == protocol.INVALID


def test_frames_over_the_size_limit_are_too_large():
    raw = frame(type="ping", pad="x" * protocol.MESSAGE_MAX_BYTES)
    assert refused(raw).code == protocol.TOO_LARGE
    assert refused(raw.encode()).code == protocol.TOO_LARGE


def test_ping():
    assert parse(frame(type="ping")) == protocol.Message(type="ping")


@pytest.mark.parametrize(("given", "expected"), [({}, 0), (None, 0), (0, 0), (7, 7)])
def test_hello_last_seq_defaults_to_zero(given, expected):
    data = {"type": "hello"} if given == {} else {"type": "hello", "last_seq": given}
    assert parse(json.dumps(data)).fields == {"last_seq": expected}


@pytest.mark.parametrize("last_seq", [-1, "3", 1.5, True, [1]])
def test_hello_with_a_bad_last_seq_is_invalid(last_seq):
    assert refused(frame(type="hello", last_seq=last_seq)).code == protocol.INVALID


def test_unknown_types_are_invalid_and_named_briefly():
    error = refused(frame(type="x" * 100, op="a"))
    assert error.code == protocol.INVALID
    assert len(error.message) < 80


@pytest.mark.parametrize("op", [None, "", 5, "o" * (protocol.OP_MAX + 1)])
def test_changes_need_a_short_op(op):
    data = {"type": "timer.stop"} if op is None else {"type": "timer.stop", "op": op}
    assert refused(json.dumps(data)).code == protocol.INVALID


def test_a_valid_change_keeps_only_its_fields():
    message = parse(frame(type="card.add", op="a1", column=3, text="Hi", extra=1))
    assert message == protocol.Message(
        type="card.add", op="a1", fields={"column": 3, "text": "Hi"}
    )


def test_optional_fields_may_be_null_or_absent():
    assert parse(
        frame(type="card.add", op="a", column=1, text="t", color=None)
    ).fields == {
        "column": 1,
        "text": "t",
    }
    assert parse(frame(type="vote.budget", op="b", budget=3)).fields == {"budget": 3}
    assert parse(frame(type="vote.budget", op="b", budget=3, participant=9)).fields == {
        "budget": 3,
        "participant": 9,
    }


def test_errors_carry_the_op():
    error = refused(frame(type="card.delete", op="d1"))
    assert (error.code, error.op) == (protocol.INVALID, "d1")
    assert error.as_message() == {
        "type": "error",
        "code": "invalid",
        "op": "d1",
        "message": "card: required",
    }


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ({"type": "card.delete", "card": 0}, protocol.INVALID),
        ({"type": "card.delete", "card": -1}, protocol.INVALID),
        ({"type": "card.delete", "card": True}, protocol.INVALID),
        ({"type": "card.delete", "card": "1"}, protocol.INVALID),
        ({"type": "card.edit", "card": 1, "text": " ", "version": 1}, protocol.INVALID),
        (
            {"type": "card.edit", "card": 1, "text": "t", "version": -1},
            protocol.INVALID,
        ),
        (
            {
                "type": "card.edit",
                "card": 1,
                "text": "x" * (CARD_TEXT_MAX + 1),
                "version": 1,
            },
            protocol.TOO_LARGE,
        ),
        (
            {"type": "card.add", "column": 1, "text": "t", "color": "red"},
            protocol.INVALID,
        ),
        ({"type": "card.group", "card": 1}, protocol.INVALID),
        ({"type": "card.group", "card": 1, "group": 5}, protocol.INVALID),
        (
            {"type": "card.group", "card": 1, "group": "g" * (GROUP_NAME_MAX + 1)},
            protocol.INVALID,
        ),
        ({"type": "phase.set", "phase": "party"}, protocol.INVALID),
        ({"type": "timer.start", "seconds": 0}, protocol.INVALID),
        (
            {"type": "timer.start", "seconds": protocol.TIMER_MAX_SECONDS + 1},
            protocol.INVALID,
        ),
        ({"type": "vote.budget", "budget": -1}, protocol.INVALID),
        (
            {"type": "vote.budget", "budget": protocol.VOTE_BUDGET_MAX + 1},
            protocol.INVALID,
        ),
        ({"type": "vote.budget", "budget": 1, "participant": 0}, protocol.INVALID),
        ({"type": "voting.set"}, protocol.INVALID),
        ({"type": "voting.set", "open": 1}, protocol.INVALID),
        ({"type": "voting.set", "open": "true"}, protocol.INVALID),
        ({"type": "voting.set", "open": None}, protocol.INVALID),
    ],
)
def test_bad_fields(message, code):
    assert refused(json.dumps({**message, "op": "o"})).code == code


def test_a_null_group_ungroups():
    assert parse(frame(type="card.group", op="g", card=1, group=None)).fields == {
        "card": 1,
        "group": "",
    }


def test_every_change_type_parses():
    samples = {
        "card.add": {"column": 1, "text": "t", "color": "blue"},
        "card.edit": {"card": 1, "text": "t", "version": 1},
        "card.move": {"card": 1, "column": 2, "position": 0, "version": 1},
        "card.delete": {"card": 1},
        "card.group": {"card": 1, "group": "g"},
        "vote.cast": {"card": 1},
        "vote.retract": {"card": 1},
        "phase.set": {"phase": "vote"},
        "timer.start": {"seconds": 60},
        "timer.stop": {},
        "board.lock": {},
        "board.unlock": {},
        "board.reveal": {},
        "vote.budget": {"budget": 3},
        "voting.set": {"open": True},
    }
    assert set(samples) == set(protocol.CHANGE_FIELDS)
    for kind, fields in samples.items():
        message = parse(json.dumps({"type": kind, "op": "o", **fields}))
        assert (message.type, message.op, message.fields) == (kind, "o", fields)


def test_a_card_may_say_its_language_and_nothing_else():
    added = parse(frame(type="card.add", op="a", column=1, text="Hej", language="sv"))
    assert added.fields["language"] == "sv"
    edited = parse(
        frame(type="card.edit", op="e", card=1, text="Hi", version=1, language="en")
    )
    assert edited.fields["language"] == "en"
    for language in ("de", "", 5, "FI"):
        error = refused(
            frame(type="card.add", op="a", column=1, text="t", language=language)
        )
        assert error.code == protocol.INVALID and "language" in error.message
