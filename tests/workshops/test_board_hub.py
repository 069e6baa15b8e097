"""The board hub's group membership when sockets come and go at the same moment.

With Redis, `group_add` and `group_discard` are network calls: a socket joining a
board while the board's last socket on this process leaves must not leave the hub
out of the board's group (its sockets would then miss every event)."""

import asyncio

from workshops import services
from workshops.consumers import BoardHub


class SlowLayer:
    """A channel layer whose discard reaches the server after a later add."""

    def __init__(self) -> None:
        self.groups: dict[str, set[str]] = {}

    async def new_channel(self) -> str:
        return "hub!1"

    async def group_add(self, group: str, channel: str) -> None:
        self.groups.setdefault(group, set()).add(channel)

    async def group_discard(self, group: str, channel: str) -> None:
        await asyncio.sleep(0.01)  # the add of a concurrent join lands first
        self.groups.get(group, set()).discard(channel)

    async def receive(self, channel: str) -> dict:
        await asyncio.Event().wait()  # nothing arrives in this test
        return {}


async def test_a_join_racing_the_last_leave_keeps_the_hub_in_the_group():
    layer = SlowLayer()
    hub = BoardHub(layer)
    group = services.board_group(7)
    leaving, joining = object(), object()
    await hub.join(7, leaving)
    assert layer.groups[group] == {"hub!1"}

    await asyncio.gather(hub.leave(7, leaving), hub.join(7, joining))

    assert hub.sockets[7] == {joining}
    assert layer.groups[group] == {"hub!1"}, "the joined socket would miss events"
    await hub.leave(7, joining)
    assert layer.groups[group] == set()
    assert hub.reader is None


async def test_the_last_leave_without_a_join_leaves_the_group():
    layer = SlowLayer()
    hub = BoardHub(layer)
    first, second = object(), object()
    await hub.join(3, first)
    await hub.join(3, second)
    await hub.leave(3, first)
    assert layer.groups[services.board_group(3)] == {"hub!1"}
    await hub.leave(3, second)
    assert layer.groups[services.board_group(3)] == set()
    assert 3 not in hub.sockets
