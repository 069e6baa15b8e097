"""Stage timings of a board change (core/realtime/stages.py): one line per change
with every stage and one per hub fan-out when switched on, nothing by default."""

import asyncio
import json

import pytest

from tests.workshops.conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)

CHANGE_STAGES = {
    "queue",
    "ratelimit",
    "connect",
    "lock",
    "read",
    "handler",
    "append",
    "commit",
    "return",
    "ack",
    "outbox",
    "publish",
}


def records(path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


async def wait_for(path, count: int) -> list[dict]:
    # The publish may finish just after the ack reached the client.
    for _ in range(50):
        found = records(path)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.02)
    return records(path)


async def test_a_change_writes_its_stages_when_switched_on(
    board, columns, alice_cookie, bob_cookie, settings, tmp_path
):
    log = tmp_path / "stages.jsonl"
    settings.REALTIME_STAGE_LOG = str(log)
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    ack, _ = await alice.change("card.add", "op-1", column=columns[0].pk, text="Hi")
    await bob.event("card.added")
    found = await wait_for(log, 2)
    await alice.close()
    await bob.close()

    [change] = [r for r in found if r["kind"] == "change"]
    assert change["op"] == "op-1" and change["seq"] == ack["seq"]
    assert change["stream"] == board.pk
    assert set(change["stages"]) == CHANGE_STAGES
    assert all(ms >= 0 for ms in change["stages"].values())
    [fanout] = [r for r in found if r["kind"] == "fanout"]
    assert fanout["op"] == "op-1" and fanout["seq"] == ack["seq"]
    assert fanout["sockets"] == 2
    assert set(fanout["stages"]) == {"transit", "fanout"}


async def test_a_refused_change_is_written_with_its_code(
    board, alice_cookie, settings, tmp_path
):
    log = tmp_path / "stages.jsonl"
    settings.REALTIME_STAGE_LOG = str(log)
    alice = await open_socket(board.pk, alice_cookie)
    error = await alice.error("card.delete", op="op-2", card=999999)
    await alice.close()
    [change] = records(log)
    assert change["refused"] == error["code"] and "lock" in change["stages"]


async def test_nothing_is_timed_by_default(board, columns, alice_cookie, monkeypatch):
    from django.conf import settings as django_settings

    from core.realtime import stages

    written = []
    monkeypatch.setattr(stages, "write", written.append)
    assert django_settings.REALTIME_STAGE_LOG == ""
    alice = await open_socket(board.pk, alice_cookie)
    await alice.change("card.add", "op-1", column=columns[0].pk, text="Hi")
    await alice.close()
    assert written == []
