"""The channel layer on Redis: a socket nobody writes to stays open."""

import asyncio
import os

import pytest
from channels.layers import get_channel_layer

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="the channel layer is Redis only with it"
)


async def test_a_quiet_channel_outlasts_the_layers_blocking_pop():
    """A receive with nothing to read waits through channels_redis' 5-second
    blocking pops without Redis' read timeout killing it (which closed every
    quiet socket's consumer with 1011): only our own deadline ends the wait."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 6.5)


async def test_a_receive_cancelled_as_its_command_is_written_ends(monkeypatch):
    """A socket that closes cancels its receive; if the cancel comes just as the
    receive's command to Redis is written, the receive must still end (with a
    write timeout, Python 3.11's asyncio.wait_for swallowed that cancel and the
    receive popped for ever: the server could not stop its event loop)."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    loop = asyncio.get_running_loop()
    armed: dict[str, asyncio.Task] = {}
    drain = asyncio.StreamWriter.drain

    async def drain_then_cancel(writer):
        await drain(writer)
        target = armed.pop("task", None)
        if target is not None:
            loop.call_soon(target.cancel)  # lands as the write's own task ends

    monkeypatch.setattr(asyncio.StreamWriter, "drain", drain_then_cancel)
    receiving = asyncio.create_task(layer.receive(channel))
    armed["task"] = receiving
    done, _ = await asyncio.wait([receiving], timeout=3)
    monkeypatch.undo()
    if not done:
        receiving.cancel()  # once more, so this test's loop can close
    assert done == {receiving}
    assert receiving.cancelled()
