"""A burst of stream events reaches a process's hub whole, on either layer."""

import asyncio

from channels.layers import get_channel_layer

BURST = 500  # over channels' default capacity of 100, under ours


async def test_a_burst_to_a_process_channel_arrives_whole_and_in_order():
    """The hub reads its one channel while the event loop is busy elsewhere: a
    burst queued meanwhile (every event and typing indicator of the process's
    streams) must wait for it, not be dropped at channels' default 100, which
    lost chat messages on one daphne."""
    layer = get_channel_layer()
    hub_channel = await layer.new_channel()
    group = "test-capacity-burst"
    await layer.group_add(group, hub_channel)
    try:
        for seq in range(BURST):
            await layer.group_send(group, {"type": "chat.event", "seq": seq})
        received = []
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(hub_channel), 1)
            except TimeoutError:  # all that the layer kept has come
                break
            received.append(message["seq"])
    finally:
        await layer.group_discard(group, hub_channel)
    assert received == list(range(BURST))
