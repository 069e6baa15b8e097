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
