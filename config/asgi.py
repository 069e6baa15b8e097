"""ASGI entry point: HTTP to Django, WebSockets through origin and auth checks."""

import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A daphne process has two busy threads: the event loop, fanning each event out
# to its sockets (CPU-bound for milliseconds), and the database thread, whose every
# query and cache round trip must win the GIL back from it. At the default 5 ms
# switch interval each round trip may wait up to 5 ms while the board's row lock
# is held (about eight per change), which the other process's changes then wait
# for: a change with a busy loop beside it took 109 ms instead of 21 (p50), at
# 0.5 ms 72 (#12, core/realtime/stages.py shows it as `read`/`handler`/`lock`).
sys.setswitchinterval(0.0005)
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from core.realtime.origin import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
