"""Fixtures of the advice desk tests: a city whose desk is open all week, an
available advisor, and helpers to start chats."""

import pytest

from advice.services import chats
from tests.advice.factories import AdviceTopicFactory, advisor, open_all_week


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A new layer per test: channels_redis binds its locks to one event loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def topic(db):
    return AdviceTopicFactory(slug="permits")


@pytest.fixture
def open_desk(city):
    open_all_week(city)
    return city


@pytest.fixture
def aino(open_desk):
    """An available advisor in Helsinki for Finnish, English and Russian."""
    return advisor(open_desk, ("fi", "en", "ru"), name="Aino")


def start(city, *, language="fi", text="Miten haen oleskelulupaa?", **kwargs):
    """A chat and its resident's key."""
    kwargs.setdefault("topic", None)
    return chats.chat_start(city=city, language=language, text=text, **kwargs)
