"""The floor for bench/board_fanout.py: a bare Channels broadcast consumer with no
database, no validation and no authentication. Every frame goes to every socket."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class FloorConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = f"floor.{self.scope['url_route']['kwargs']['board']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(
            self.group, {"type": "floor.message", "text": text_data}
        )

    async def floor_message(self, message):
        await self.send(text_data=message["text"])


application = ProtocolTypeRouter(
    {"websocket": URLRouter([path("ws/floor/<int:board>/", FloorConsumer.as_asgi())])}
)
