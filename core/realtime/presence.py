"""Presence on a lease, renewed by one heartbeat per process.

A presence row per open socket carries `last_seen`. The process serving the
sockets renews them every `interval` seconds with one UPDATE for all of them; a
process that dies without running its disconnect handlers stops renewing, and
after the lease its rows no longer count and the next prune (by any process)
deletes them and tells the streams concerned.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.utils import timezone

logger = logging.getLogger(__name__)


def lease_start(lease_seconds: float) -> datetime:
    """Rows last seen before this have lost their lease."""
    return timezone.now() - timedelta(seconds=lease_seconds)


class LeaseHeartbeat(ABC):
    """Renews the lease of every socket of one kind this process serves.

    Subclass with `interval`, `hub_class` (re-added to its groups at each beat)
    and `renew`/`prune` (async; run the database work through
    `database_sync_to_async`). It runs while it has sockets.
    """

    interval: ClassVar[float] = 20
    hub_class: ClassVar[type | None] = None
    _by_loop: ClassVar[dict[asyncio.AbstractEventLoop, LeaseHeartbeat]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._by_loop = {}

    def __init__(self) -> None:
        self.channel_names: set[str] = set()
        self.task: asyncio.Task | None = None

    @classmethod
    def running(cls) -> LeaseHeartbeat:
        loop = asyncio.get_running_loop()
        beat = cls._by_loop.get(loop)
        if beat is None:
            beat = cls._by_loop[loop] = cls()
        return beat

    def add(self, channel_name: str) -> None:
        self.channel_names.add(channel_name)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, channel_name: str) -> None:
        self.channel_names.discard(channel_name)
        if not self.channel_names and self.task is not None:
            self.task.cancel()
            self.task = None
            self._by_loop.pop(asyncio.get_running_loop(), None)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.beat()
            except Exception:  # noqa: BLE001 - try again at the next beat
                logger.exception("presence heartbeat failed")

    async def beat(self) -> None:
        if self.hub_class is not None:
            hub = self.hub_class._by_loop.get(asyncio.get_running_loop())
            if hub is not None:
                await hub.renew()
        await self.renew(list(self.channel_names))
        await self.prune()

    @abstractmethod
    async def renew(self, channel_names: list[str]) -> None:
        """Renew the lease of these sockets' presence rows."""

    @abstractmethod
    async def prune(self) -> None:
        """Remove rows whose lease ran out, and tell their streams."""
